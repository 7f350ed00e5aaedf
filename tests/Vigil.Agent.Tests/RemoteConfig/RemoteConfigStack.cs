using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vigil.Agent.RemoteConfig;
using Vigil.Api;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Secl.Evaluation;
using Vigil.Ingest;
using Vigil.Testing;

namespace Vigil.Agent.Tests.RemoteConfig;

/// <summary>
/// The real backend for remote-configuration tests: Api and Ingest on this run's PostgreSQL and RabbitMQ, an
/// organization seeded with the out-of-the-box content, its admin logged in, and an enrolled in-process agent side.
/// </summary>
public sealed class RemoteConfigStack : IAsyncDisposable
{
    private RemoteConfigStack(VigilTestHost api, VigilTestHost ingest, TestOrganization org, HttpClient admin, string directory)
    {
        Api = api;
        Ingest = ingest;
        Org = org;
        Admin = admin;
        Directory = directory;
    }

    public VigilTestHost Api { get; }
    public VigilTestHost Ingest { get; }
    public TestOrganization Org { get; }
    public HttpClient Admin { get; }
    /// <summary>The agent's files: API key, pinned key, policy state.</summary>
    public string Directory { get; }
    public string KeyFile => Path.Combine(Directory, "api.key");
    public string PinnedKeyFile => Path.Combine(Directory, "policy-signing.pub");
    public string StateDirectory => Path.Combine(Directory, "state");

    public static async Task<RemoteConfigStack> StartAsync()
    {
        var api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, await TestConfiguration.ProductionAsync());
        var ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
        var org = await TestOrganization.CreateAsync(api.Services);
        await ContentUpgradeTask.SeedAsync(api.Services, org.Id, CancellationToken.None);
        var admin = api.CreateClient();
        using (var login = await admin.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(org.AdminEmail, org.Password), ApiJson.Options))
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                (await login.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options))!.Token);
        var directory = Path.Combine(Path.GetTempPath(), $"vigil-rc-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "api.key"), org.AgentApiKey);
        return new RemoteConfigStack(api, ingest, org, admin, directory);
    }

    public AgentSettings Settings(string hostname) => new(Ingest.Address, Org.AgentApiKey, hostname, TimeSpan.FromMinutes(5));

    public RemoteConfigOptions Options(params string[] tags) => new()
    {
        PinnedKeyPath = PinnedKeyFile, StateDirectory = StateDirectory, HostTags = tags, WaitSeconds = 10, RetryDelay = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>An exec event of a binary with this name, at a given second (the rate limiter counts event time).</summary>
    public static SeclEvent Exec(string name, long second)
    {
        var evt = SeclEventJson.Read($$"""
            { "evt": { "name": "exec" },
              "process": { "pid": 4242, "executable": { "path": "/usr/local/bin/{{name}}", "name": "{{name}}" }, "args": [] } }
            """);
        evt.TimestampNanoseconds = 1_800_000_000_000_000_000 + second * 1_000_000_000;
        return evt;
    }

    public async Task<AgentRuleChangeDto> CreateRuleAsync(string id, string expression, params string[] hostTags)
    {
        using var response = await Admin.PostAsJsonAsync("api/v2/agent-rules",
            new AgentRuleRequest(id, expression, $"test rule {id}", HostTags: hostTags), ApiJson.Options);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options))!;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Ingest.DisposeAsync();
        await Api.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
