using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Tests.Query;

public sealed class QueryFacetsTests
{
    [Fact]
    public void GetValues_ArrayThroughAncestors_ReturnsEveryElementInOrder()
    {
        var values = QueryFacets.GetValues(QueryTestDocuments.Exec, QueryField.Parse("@process.ancestors.file.name"));

        Assert.Equal(["nginx", "systemd"], values);
    }

    [Fact]
    public void GetValues_NumbersAndBooleans_ReturnTheirJsonText()
    {
        Assert.Equal(["4242"], QueryFacets.GetValues(QueryTestDocuments.Exec, QueryField.Parse("@process.pid")));
        Assert.Equal(["7.5"], QueryFacets.GetValues(QueryTestDocuments.Exec, QueryField.Parse("@score")));
        Assert.Equal(["false"], QueryFacets.GetValues(QueryTestDocuments.Exec, QueryField.Parse("@process.is_thread")));
    }

    [Fact]
    public void GetValues_ObjectOrMissing_ReturnsNothing()
    {
        Assert.Empty(QueryFacets.GetValues(QueryTestDocuments.Exec, QueryField.Parse("@container")));
        Assert.Empty(QueryFacets.GetValues(QueryTestDocuments.Exec, QueryField.Parse("@nope.nothing")));
    }

    [Fact]
    public void GetFirstValue_TagWithSeveralValues_ReturnsTheFirst()
    {
        Assert.Equal("payments", QueryFacets.GetFirstValue(QueryTestDocuments.Exec, QueryField.Parse("team")));
        Assert.Equal("web-1", QueryFacets.GetFirstValue(QueryTestDocuments.Exec, QueryField.Parse("host")));
        Assert.Null(QueryFacets.GetFirstValue(QueryTestDocuments.Open, QueryField.Parse("@container.id")));
    }

    [Fact]
    public void GetValues_SignalDocument_ReadsEnumsNestedKeysAndTags()
    {
        var signal = QueryTestDocuments.Signal;

        Assert.Equal(["high"], QueryFacets.GetValues(signal, QueryField.Parse("status")));
        Assert.Equal(["open"], QueryFacets.GetValues(signal, QueryField.Parse("@workflow.triage.state")));
        Assert.Equal(["runtime-security-agent"], QueryFacets.GetValues(signal, QueryField.Parse("source")));
        Assert.Equal(["12"], QueryFacets.GetValues(signal, QueryField.Parse("@events_matched")));
    }

    [Fact]
    public void Count_EnvOverEvents_CountsEachValueAndMissing()
    {
        IQueryDocument[] documents = [QueryTestDocuments.Exec, QueryTestDocuments.Open, QueryTestDocuments.Dns];

        var env = QueryFacets.Count(documents, QueryField.Parse("env"));
        var container = QueryFacets.Count(documents, QueryField.Parse("@container.id"));

        Assert.Equal(2, env.Values["prod"]);
        Assert.Equal(1, env.Values["staging"]);
        Assert.Equal(0, env.Missing);
        Assert.Equal(1, container.Values["abc123def"]);
        Assert.Equal(2, container.Missing);
    }

    [Fact]
    public void QueryTagsParse_TagsWithAndWithoutColon_SplitAtTheFirstColon()
    {
        var tags = QueryTags.Parse(["image:nginx:1.25", "production", "Team:a", "team:b"]);

        Assert.Equal(["nginx:1.25"], tags.GetValues("image"));
        Assert.Equal([""], tags.GetValues("production"));
        Assert.Equal(["a", "b"], tags.GetValues("TEAM"));
        Assert.Empty(tags.GetValues("missing"));
        Assert.Equal(3, tags.Count);
    }

    [Fact]
    public void Count_DocumentWithRepeatedValue_CountsItOnce()
    {
        var document = new DictionaryQueryDocument(new Dictionary<string, object?> { ["ports"] = new[] { 80, 80, 443 } });

        var counts = QueryFacets.Count([document], QueryField.Parse("@ports"));

        Assert.Equal(1, counts.Values["80"]);
        Assert.Equal(1, counts.Values["443"]);
    }

    [Theory]
    [InlineData("@sample.process.ancestors.file.name:systemd", true)]
    [InlineData("@sample.process.pid:>4000", true)]
    [InlineData("@sample.process.is_thread:false", true)]
    [InlineData("@sample.container:*", true)]
    [InlineData("@labels.app:web", true)]
    [InlineData("@labels.tier:*", false)]
    [InlineData("@ports:443", true)]
    [InlineData("@ports:8080", false)]
    public void DictionaryDocument_NestedJsonAndDictionaries_FlattenIntoDottedPaths(string query, bool expected)
    {
        var document = new DictionaryQueryDocument(new Dictionary<string, object?>
        {
            ["sample"] = QueryTestDocuments.Exec.Root,
            ["labels"] = new Dictionary<string, string> { ["app"] = "web" },
            ["ports"] = new List<int> { 80, 443 },
        });

        Assert.True(QueryCompiler.TryCompile(query, out var compiled, out _));
        Assert.Equal(expected, compiled.Matches(document));
    }

    [Theory]
    [InlineData("@process.file.name", QueryFieldKind.Attribute, "process.file.name", "@process.file.name")]
    [InlineData("host", QueryFieldKind.Reserved, "host", "host")]
    [InlineData("Status", QueryFieldKind.Reserved, "status", "status")]
    [InlineData("kube_namespace", QueryFieldKind.Tag, "kube_namespace", "kube_namespace")]
    public void QueryFieldParse_Name_ClassifiesAndNormalizes(string text, QueryFieldKind kind, string name, string printed)
    {
        var field = QueryField.Parse(text);

        Assert.Equal(kind, field.Kind);
        Assert.Equal(name, field.Name);
        Assert.Equal(printed, field.ToString());
        Assert.Equal(field, QueryField.Parse(printed));
    }
}
