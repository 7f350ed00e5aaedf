using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Api.Features.Signals;
using Vigil.Core.Domain;
using Vigil.Core.Query.Evaluation;
using Vigil.Data;
using Vigil.Data.Entities;
using Vigil.Data.Tenancy;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>
/// The search in SQL must answer exactly what the in-memory evaluator answers: each query runs through
/// <see cref="SignalSearch"/> on PostgreSQL and on SQLite and is compared with the evaluator applied to every
/// signal of the organization.
/// </summary>
public sealed class SignalQueryTranslationTests
{
    public static TheoryData<string> Providers => ["postgres", "sqlite"];

    private static readonly string[] Queries =
    [
        "", "*", "host:web-1", "HOST:WEB-1", "host:web-*", "host:web?1", "host:*", "-host:web-1", "host:(web-1 OR db-1)",
        "@host:db-1", "host:wéb-1", "host:\"web 1\"",
        "status:high", "status:(high OR critical)", "-status:low", "status:h*", "status:[high TO low]", "status:(NOT info AND NOT low)",
        "@workflow.triage.state:open", "-@workflow.triage.state:archived", "@workflow.triage.state:under_review host:db-*",
        "@agent.rule_id:shell_spawned", "@agent.rule_id:SHELL_*", "@agent.rule_id:*", "-@agent.rule_id:*", "-@agent.rule_id:shell_spawned",
        "rule:r1", "@workflow.rule.id:r*", "-rule:r2",
        "tactic:TA0002-execution", "-tactic:TA0002-execution", "tactic:ta0005*", "tactic:(TA0002-execution AND TA0005-defense-evasion)",
        "spawned", "\"shell spawned\"", "shell*", "sp?wned", "100%", "a_b", "remediate", "SPAWNED OR passwd",
        "@events_matched:5", "@events_matched:>3", "@events_matched:[2 TO 4}", "@events_matched:abc", "@events_matched:<=1",
        "@process.executable.path:/tmp/*", "@process.executable.path:/tmp/* OR host:db-1", "-@process.executable.path:/tmp/*",
        "host:web-* @process.executable.path:/usr/*", "@message:*remed*", "env:prod", "service:api", "@title:a\\_b",
        "status:high OR (host:db-1 -@workflow.triage.state:open)", "NOT (host:web-1 OR status:critical)",
        "@workflow.triage.assignee.uuid:" + Assignee, "@workflow.triage.assignee.uuid:" + Assignee.ToUpperInvariant(),
        "@workflow.triage.assignee.uuid:*", "-@workflow.triage.assignee.uuid:*", "@workflow.triage.assignee.uuid:\"{" + Assignee + "}\"",
        "@workflow.triage.assignee.uuid:0190*",
        "@container.id:" + Container, "@container.id:\"" + Container + "\"", "@container.id:3f9a*", "@container.id:*", "-@container.id:*",
        "-@container.id:" + Container, "@container.id:" + Container.ToUpperInvariant(),
        "image_name:nginx", "image_name:\"nginx:1.25\"", "image_name:NGINX*", "image_name:*", "-image_name:*", "-image_name:nginx",
        "image_name:redis", "image_name:(nginx OR redis)", "host:web-* image_name:nginx*",
    ];

    private const string Assignee = "0190a5b2-0000-7000-8000-000000000001";
    private const string Container = "3f9a0c1d2e4b5a6978877665544332211000ffeeddccbbaa9988776655443322";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Search_InTheDatabase_AnswersWhatTheEvaluatorAnswers(string provider)
    {
        var (create, org) = await ArrangeAsync(provider);
        await using var db = create();
        var all = await db.Signals.AsNoTracking().ToListAsync();
        var search = new SignalSearch(db);
        var (from, to) = (DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddMinutes(1));

        foreach (var text in Queries)
        {
            var query = Compile(text);
            var expected = all.Where(s => s.LastSeen >= from && s.FirstSeen <= to && (query is null || Matches(query, s)))
                .OrderByDescending(s => s.FirstSeen).ThenByDescending(s => s.Id).Select(s => s.Title).ToList();

            var page = await search.SearchAsync(query, from, to, 500, null, default);
            var facets = await search.FacetsAsync(query, from, to, default);

            Assert.True(expected.SequenceEqual(page.Signals.Select(s => s.Title)),
                $"{provider} '{text}': expected [{string.Join(", ", expected)}], got [{string.Join(", ", page.Signals.Select(s => s.Title))}]");
            Assert.True(expected.Count == facets.Total, $"{provider} '{text}': facets counted {facets.Total}, expected {expected.Count}");
        }
        Assert.NotEqual(Guid.Empty, org);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Facets_CountedInTheDatabase_EqualTheCountsInMemory(string provider)
    {
        var (create, _) = await ArrangeAsync(provider);
        await using var db = create();
        var all = await db.Signals.AsNoTracking().ToListAsync();
        var reference = new SignalFacetCounts();
        var (from, to) = (DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddMinutes(1));
        foreach (var signal in all.Where(s => s.Severity != Severity.Low && s.LastSeen >= from))
            reference.Add(signal);

        var facets = await new SignalSearch(db).FacetsAsync(Compile("-status:low"), from, to, default);

        Assert.Equal(JsonSerializer.Serialize(Sorted(reference.ToFacets(false))), JsonSerializer.Serialize(Sorted(facets)));
        Assert.Equal(2, facets.Facets["tactic"]["TA0002-execution"]);
        Assert.Equal(6, facets.Total);
        Assert.Equal(new Dictionary<string, int> { [Container] = 2, ["0a1b2c3d4e5f"] = 1 }, facets.Facets["container"]);
        Assert.Equal(new Dictionary<string, int> { ["nginx:1.25"] = 2, ["nginx"] = 1 }, facets.Facets["image"]);
    }

    [Theory]
    [InlineData("host:web-1 status:high -tactic:x", true)]
    [InlineData("spawned OR @agent.rule_id:(a OR b*)", true)]
    [InlineData("host:wéb-1", false)]
    [InlineData("@process.executable.path:/tmp/*", false)]
    [InlineData("host:web-1 @process.executable.path:/tmp/*", false)]
    [InlineData("host:[a TO z]", false)]
    public void Translate_TellsWhetherSqlAloneDecides(string text, bool exact) =>
        Assert.Equal(exact, SignalQueryTranslator.Translate(Compile(text)!.Syntax).Exact);

    private static SignalFacets Sorted(SignalFacets facets) => new(
        new[] { "severity", "status", "agent_rule", "rule", "host", "tactic", "assignee", "container", "image" }.ToDictionary(k => k,
            k => (IReadOnlyDictionary<string, int>)facets.Facets[k].OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary()),
        facets.Total, facets.Truncated);

    private static CompiledQuery? Compile(string text) =>
        string.IsNullOrWhiteSpace(text) ? null : QueryCompiler.TryCompile(text, out var q, out var d) ? q : throw new InvalidOperationException($"{text}: {d[0]}");

    private static bool Matches(CompiledQuery query, Signal signal)
    {
        using var sample = JsonDocument.Parse(signal.SampleEventJson);
        return query.Matches(SignalDocument.From(signal, sample.RootElement));
    }

    /// <summary>An organization with signals that differ in every searched column, plus one of another organization.</summary>
    private static async Task<(Func<VigilDbContext> Create, Guid Org)> ArrangeAsync(string provider)
    {
        Func<TenantContext, VigilDbContext> context;
        if (provider == "postgres")
        {
            var connection = await PostgresTestDatabase.ConnectionStringAsync();
            context = tenant => new PostgresVigilDbContext(new DbContextOptionsBuilder<PostgresVigilDbContext>().UseNpgsql(connection).Options, tenant);
        }
        else
        {
            var sqlite = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("vigil-search-").FullName, "vigil.db")}";
            context = tenant => new SqliteVigilDbContext(new DbContextOptionsBuilder<SqliteVigilDbContext>().UseSqlite(sqlite).Options, tenant);
            await using var db = context(new TenantContext());
            await db.Database.MigrateAsync();
        }
        var org = await SeedAsync(context, own: true);
        await SeedAsync(context, own: false);
        return (() => context(Tenant(org)), org);
    }

    private static TenantContext Tenant(Guid org)
    {
        var tenant = new TenantContext();
        tenant.Set(org);
        return tenant;
    }

    private static async Task<Guid> SeedAsync(Func<TenantContext, VigilDbContext> context, bool own)
    {
        var org = new Organization { Name = own ? "search" : "other" };
        await using var db = context(Tenant(org.Id));
        db.Organizations.Add(org);
        var now = DateTime.UtcNow;
        var n = 0;
        Signal Make(string title, string host, Severity severity, TriageState state, string? agentRule, string rule, string tags, int events,
            string path, string message = "", int hoursAgo = 0, string? container = null, string? image = null) => new()
        {
            // As detection stores them: the columns hold the sample's container.id and image_name tag.
            ContainerId = container, ContainerImage = image,
            RuleId = rule, AgentRuleId = agentRule, Title = own ? title : "other " + title, Message = message, Severity = severity, TriageState = state,
            Hostname = host, GroupKey = host, FirstSeen = now.AddHours(-hoursAgo).AddMinutes(-++n), LastSeen = now.AddHours(-hoursAgo).AddMinutes(-n),
            EventCount = events, TagsJson = tags, AssigneeUserId = title == "passwd read" ? Guid.Parse(Assignee) : null,
            SampleEventJson = "{\"agent\":{\"rule_id\":\"" + (agentRule ?? "sample_only") + "\"},\"env\":\"prod\",\"process\":{\"executable\":{\"path\":\"" + path + "\"}}"
                + (container is null ? "" : ",\"container\":{\"id\":\"" + container + "\"}")
                + (image is null ? "" : ",\"tags\":[\"image_name:" + image + "\"]") + "}",
        };
        const string Exec = "[\"tactic:TA0002-execution\",\"source:runtime\"]";
        const string Both = "[\"Tactic:TA0002-Execution\",\"tactic:TA0005-defense-evasion\"]";
        db.Signals.AddRange(
            Make("Shell spawned on web-1", "web-1", Severity.High, TriageState.Open, "shell_spawned", "r1", Exec, 5, "/usr/bin/bash", "Please remediate.",
                container: Container, image: "nginx:1.25"),
            Make("shell SPAWNED again", "WEB-1", Severity.Critical, TriageState.UnderReview, "SHELL_SPAWNED", "r1", Both, 1, "/tmp/sh",
                container: Container, image: "nginx:1.25"),
            Make("passwd read", "db-1", Severity.Low, TriageState.Archived, "passwd_read", "r2", "[]", 3, "/usr/bin/cat"),
            Make("no agent rule", "db-1", Severity.Info, TriageState.UnderReview, null, "r2", "[\"env:prod\"]", 4, "/tmp/x"),
            Make("100% sure", "web 1", Severity.Medium, TriageState.Open, "a_b", "r3", "[\"service:api\",\"image_name:redis\"]", 2, "/usr/sbin/x"),
            Make("a_b", "Wéb-1", Severity.High, TriageState.Open, "shell_spawned", "r3", Exec, 10, "/tmp/y"),
            Make("axb", "webx1", Severity.High, TriageState.Open, "other", "R1", "[\"tactic:TA0005-defense-evasion\"]", 1, "/opt/z",
                container: "0a1b2c3d4e5f", image: "nginx"),
            Make("old one", "web-1", Severity.High, TriageState.Open, "shell_spawned", "r1", Exec, 1, "/tmp/old", hoursAgo: 48));
        await db.SaveChangesAsync();
        return org.Id;
    }
}
