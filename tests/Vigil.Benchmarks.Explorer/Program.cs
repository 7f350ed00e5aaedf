using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vigil.Api;
using Vigil.Benchmarks.Explorer;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

// What one facet click in the Signals Explorer costs the Api: the page asks for the facets and the first page
// of signals with the new query, in parallel, and shows both. Timed from the client over loopback HTTP, so
// the figures include HTTP and JSON on top of the server's work. Target: under 300 ms (median).
const int Signals = 10_000, Hosts = 100, Rounds = 15;
const double TargetMs = 300;
var quick = args.Contains("--quick");
var signals = quick ? 2_000 : Signals;

var api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, await TestConfiguration.ProductionAsync());
try
{
    var org = await TestOrganization.CreateAsync(api.Services);
    var seeding = Stopwatch.StartNew();
    await SignalSeeder.SeedAsync(api, org.Id, signals, Hosts);
    Console.WriteLine($"seeded {signals:N0} signals over {Hosts} hosts in {seeding.Elapsed.TotalSeconds:0.0} s");

    using var http = api.CreateClient();
    using (var login = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(org.ResponderEmail, org.Password), ApiJson.Options))
    {
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options))!.Token;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    (string Name, string Query)[] clicks =
    [
        ("page load (no query)", ""),
        ("click host facet", "host:\"host-042\""),
        ("click severity facet", "status:\"high\""),
        ("click two facets", "status:\"high\" @agent.rule_id:\"shell_spawned\""),
        ("typed attribute query", "@process.executable.path:/usr/bin/* -@workflow.triage.state:archived"),
        ("click image facet", "image_name:\"nginx:1.25\""),
        ("click container facet", $"@container.id:\"{SignalSeeder.Container(1, "host-001")!.Value.Id}\""),
    ];
    Console.WriteLine();
    Console.WriteLine($"{"facet click (facets + first 100, in parallel)",-48} {"median ms",10} {"p95 ms",8} {"max ms",8}  matched");
    var medians = new List<double>();
    foreach (var (name, query) in clicks)
    {
        var filter = $"query={Uri.EscapeDataString(query)}&from=now-24h";
        await ClickAsync(http, filter); // warm-up: JIT, connection pool, PostgreSQL cache
        var times = new List<double>();
        var matched = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            matched = await ClickAsync(http, filter);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var median = times[times.Count / 2];
        medians.Add(median);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-48} {median,10:0} {times[(int)Math.Ceiling(times.Count * 0.95) - 1],8:0} {times[^1],8:0}  {matched:N0}"));
    }
    Console.WriteLine();
    var worst = medians.Max();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(worst < TargetMs ? "PASS" : "MISS")} facet click under {TargetMs:0} ms (worst median {worst:0} ms, {signals:N0} signals, {Hosts} hosts)"));
}
finally
{
    await api.DisposeAsync();
}

static async Task<int> ClickAsync(HttpClient http, string filter)
{
    var facets = http.GetFromJsonAsync<FacetCounts>($"api/v2/signals/facets?{filter}", ApiJson.Options);
    var page = http.GetFromJsonAsync<SignalPage>($"api/v2/signals?limit=100&{filter}", ApiJson.Options);
    await Task.WhenAll(facets, page);
    if (page.Result!.Data.Count == 0 && facets.Result!.Total > 0)
        throw new InvalidOperationException("facets counted signals the listing did not return");
    return facets.Result!.Total;
}

internal sealed record FacetCounts(Dictionary<string, Dictionary<string, int>> Facets, int Total, bool Truncated);
