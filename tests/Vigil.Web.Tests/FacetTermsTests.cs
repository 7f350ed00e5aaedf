using Vigil.Core.Query.Evaluation;
using Vigil.Web.Search;

namespace Vigil.Web.Tests;

public sealed class FacetTermsTests
{
    [Fact]
    public void Toggle_EmptyQuery_AddsQuotedTerm()
    {
        Assert.Equal("host:\"web-1\"", FacetTerms.Toggle(null, FacetTerms.Term("host", "web-1")));
    }

    [Fact]
    public void Toggle_TermAlreadyThere_RemovesItAndKeepsTheRest()
    {
        var query = "status:\"high\" host:\"web-1\" @evt.name:exec";

        Assert.Equal("status:\"high\" @evt.name:exec", FacetTerms.Toggle(query, FacetTerms.Term("host", "web-1")));
    }

    [Fact]
    public void Toggle_QueryWithOr_WrapsItBeforeAdding()
    {
        Assert.Equal("(host:a OR host:b) status:\"high\"", FacetTerms.Toggle("host:a OR host:b", FacetTerms.Term("status", "high")));
    }

    [Fact]
    public void Contains_TermInsideQuotedPhraseOrGroup_IsNotAWholeTerm()
    {
        Assert.False(FacetTerms.Contains("\"x host:\\\"a\\\" y\"", FacetTerms.Term("host", "a")));
        Assert.True(FacetTerms.Contains("(a OR b) host:\"a\"", FacetTerms.Term("host", "a")));
    }

    [Theory]
    [InlineData("web 1", "web 1", true)]
    [InlineData("a:b*c", "a:b*c", true)]
    [InlineData("a:b*c", "a:bxxc", false)]
    [InlineData("say \"hi\"\\", "say \"hi\"\\", true)]
    public void Term_ValueWithSpecialCharacters_CompilesAndMatchesOnlyThatValue(string value, string documentValue, bool matches)
    {
        var term = FacetTerms.Term("host", value);

        Assert.True(QueryCompiler.TryCompile(term, out var query, out var diagnostics), string.Join("; ", diagnostics));
        var document = new DictionaryQueryDocument([new("host", documentValue)], QueryTags.Parse([]));
        Assert.Equal(matches, query!.Matches(document));
    }

    [Fact]
    public void SignalFields_EveryFacetTheApiCounts_HasAQueryField()
    {
        foreach (var facet in new[] { "severity", "status", "agent_rule", "rule", "host", "tactic", "assignee", "container", "image" })
            Assert.True(FacetTerms.SignalFields.ContainsKey(facet), facet);
    }
}
