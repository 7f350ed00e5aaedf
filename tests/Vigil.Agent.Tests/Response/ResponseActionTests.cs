using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Agent.Process;
using Vigil.Agent.Protection;
using Vigil.Agent.Response;
using Vigil.Agent.Tests.Kernel;
using Vigil.Api;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data.Entities;
using Vigil.Ingest;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Response;

/// <summary>
/// A responder kills a signal's process from the Api; the host's agent picks the action up from Ingest (long
/// poll), carries it out on the real kernel through its safeguards and reports back. Api, Ingest, PostgreSQL and
/// RabbitMQ are real.
/// </summary>
public sealed class ResponseActionTests
{
    [RootFact]
    public async Task Responder_KillsTheSignalsProcess_TheAgentCarriesItOutAndReportsBack()
    {
        await using var stack = await Stack.StartAsync();
        using var victim = System.Diagnostics.Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var signalId = await stack.AddSignalAsync(victim.Id, ProcFs.TryReadExe(victim.Id));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var agent = stack.AgentClient(out var log);
        var polling = agent.RunAsync(stop.Token);

        using var kill = await stack.Responder.PostAsJsonAsync($"api/v2/signals/{signalId}/responses/kill", new KillProcessRequest(victim.Id), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Accepted, kill.StatusCode);
        using (var killed = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await victim.WaitForExitAsync(killed.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("the process was not killed within 15 s; agent log: " + string.Join(" | ", log));
            }
        }
        var response = await Eventually.ReturnsAsync(async () =>
        {
            var list = await stack.Responder.GetFromJsonAsync<List<ResponseActionDto>>($"api/v2/signals/{signalId}/responses", ApiJson.Options);
            return list!.SingleOrDefault(r => r.State != ResponseActionStates.Pending && r.State != ResponseActionStates.Delivered);
        }, "the agent's report stored");
        await stop.CancelAsync();
        await polling;

        Assert.Equal((ResponseActionStates.Performed, victim.Id, 9), (response.State, response.Pid, response.Signal));
        Assert.Equal(137, victim.ExitCode); // 128 + SIGKILL
        Assert.NotNull(response.AgentLatencyMs);
        var history = await stack.Responder.GetFromJsonAsync<List<SignalChangeDto>>($"api/v2/signals/{signalId}/history", ApiJson.Options);
        Assert.Contains(history!, h => h.Field == "response" && h.Actor == stack.Org.ResponderEmail && h.NewValue!.Contains("requested"));
        Assert.Contains(history!, h => h.Field == "response" && h.Actor == $"agent: {stack.Hostname}" && h.NewValue == ResponseActionStates.Performed);
    }

    [RootFact]
    public async Task TheAgentRefuses_ItsOwnProcess_AndAPidThatNowRunsAnotherExecutable()
    {
        await using var stack = await Stack.StartAsync();
        using var victim = System.Diagnostics.Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var agentSignal = await stack.AddSignalAsync(Environment.ProcessId, ProcFs.TryReadExe(Environment.ProcessId));
        var reusedSignal = await stack.AddSignalAsync(victim.Id, "/usr/bin/xmrig");
        var agent = stack.AgentClient(out _);

        foreach (var (signal, pid) in new[] { (agentSignal, Environment.ProcessId), (reusedSignal, victim.Id) })
        {
            using var kill = await stack.Responder.PostAsJsonAsync($"api/v2/signals/{signal}/responses/kill", new KillProcessRequest(pid), ApiJson.Options);
            Assert.Equal(HttpStatusCode.Accepted, kill.StatusCode);
        }
        var actions = await agent.PollAsync(CancellationToken.None, TimeSpan.FromSeconds(10));
        Assert.Equal(2, actions.Count);
        foreach (var action in actions) await agent.ExecuteAndReportAsync(action, CancellationToken.None);

        var onAgent = (await stack.Responder.GetFromJsonAsync<List<ResponseActionDto>>($"api/v2/signals/{agentSignal}/responses", ApiJson.Options))!.Single();
        var onReused = (await stack.Responder.GetFromJsonAsync<List<ResponseActionDto>>($"api/v2/signals/{reusedSignal}/responses", ApiJson.Options))!.Single();
        Assert.Equal((ResponseActionStates.Refused, "agent"), (onAgent.State, onAgent.Detail));
        Assert.Equal(ResponseActionStates.Refused, onReused.State);
        Assert.Contains("not /usr/bin/xmrig", onReused.Detail);
        Assert.False(victim.HasExited);
        victim.Kill();
        Assert.Empty(await agent.PollAsync(CancellationToken.None, TimeSpan.Zero)); // answered actions are not offered again
    }

    [Fact]
    public async Task KillRequests_AreRefused_ForAPidOutsideTheSignal_ABadSignal_AReadOnlyUser_AndAnotherOrganization()
    {
        await using var stack = await Stack.StartAsync();
        var signalId = await stack.AddSignalAsync(4242, "/usr/bin/xmrig");
        var other = await TestOrganization.CreateAsync(stack.Api.Services);
        using var readOnly = await stack.LoginAsync(stack.Org.ReadOnlyEmail, stack.Org.Password);
        using var stranger = await stack.LoginAsync(other.ResponderEmail, other.Password);

        using var outside = await stack.Responder.PostAsJsonAsync($"api/v2/signals/{signalId}/responses/kill", new KillProcessRequest(4343), ApiJson.Options);
        using var badSignal = await stack.Responder.PostAsJsonAsync($"api/v2/signals/{signalId}/responses/kill", new KillProcessRequest(4242, 2), ApiJson.Options);
        using var byReader = await readOnly.PostAsJsonAsync($"api/v2/signals/{signalId}/responses/kill", new KillProcessRequest(4242), ApiJson.Options);
        using var byStranger = await stranger.PostAsJsonAsync($"api/v2/signals/{signalId}/responses/kill", new KillProcessRequest(4242), ApiJson.Options);
        using var strangerList = await stranger.GetAsync($"api/v2/signals/{signalId}/responses");

        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("pid", ErrorFields(await outside.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, badSignal.StatusCode);
        Assert.Contains("signal", ErrorFields(await badSignal.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, byReader.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerList.StatusCode);
        Assert.Empty((await stack.Responder.GetFromJsonAsync<List<ResponseActionDto>>($"api/v2/signals/{signalId}/responses", ApiJson.Options))!);
        var agent = stack.AgentClient(out _);
        Assert.Empty(await agent.PollAsync(CancellationToken.None, TimeSpan.Zero));
    }

    private static HashSet<string> ErrorFields(string problem)
    {
        using var json = JsonDocument.Parse(problem);
        return [.. json.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    /// <summary>Api and Ingest on this run's PostgreSQL and RabbitMQ, an organization, a host and a logged-in responder.</summary>
    private sealed class Stack : IAsyncDisposable
    {
        private Stack(VigilTestHost api, VigilTestHost ingest, TestOrganization org, HttpClient responder)
        {
            (Api, Ingest, Org, Responder) = (api, ingest, org, responder);
        }

        public VigilTestHost Api { get; }
        public VigilTestHost Ingest { get; }
        public TestOrganization Org { get; }
        public HttpClient Responder { get; }
        public string Hostname { get; } = $"host-{Guid.NewGuid():N}"[..14];
        private readonly HttpClient _agentHttp = new() { Timeout = TimeSpan.FromSeconds(90) };

        public static async Task<Stack> StartAsync()
        {
            var ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build, await TestConfiguration.ProductionAsync());
            var api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, await TestConfiguration.ProductionAsync());
            var org = await TestOrganization.CreateAsync(api.Services);
            return new Stack(api, ingest, org, await LoginAsync(api, org.ResponderEmail, org.Password));
        }

        public Task<HttpClient> LoginAsync(string email, string password) => LoginAsync(Api, email, password);

        private static async Task<HttpClient> LoginAsync(VigilTestHost api, string email, string password)
        {
            var http = api.CreateClient();
            using var response = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(email, password), ApiJson.Options);
            response.EnsureSuccessStatusCode();
            http.DefaultRequestHeaders.Authorization = new("Bearer", (await response.Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options))!.Token);
            return http;
        }

        /// <summary>A signal whose sample event names the process (as the detection consumer stores it).</summary>
        public async Task<Guid> AddSignalAsync(int pid, string? executable)
        {
            await using var scope = Api.CreateScope(Org.Id, out var db);
            var sample = new { process = new { pid, executable = new { path = executable, name = Path.GetFileName(executable) } }, title = "miner" };
            var signal = new Signal
            {
                RuleId = "crypto_miner", Title = "Crypto miner", Severity = Severity.High, Hostname = Hostname, GroupKey = $"host:{Hostname}",
                FirstSeen = DateTime.UtcNow, LastSeen = DateTime.UtcNow, EventCount = 1, SampleEventJson = JsonSerializer.Serialize(sample),
            };
            db.Signals.Add(signal);
            await db.SaveChangesAsync();
            return signal.Id;
        }

        public ResponseActionClient AgentClient(out List<string> log)
        {
            var lines = log = [];
            var settings = new AgentSettings(Ingest.Address, Org.AgentApiKey, Hostname, TimeSpan.FromSeconds(30));
            return new ResponseActionClient(_agentHttp, settings, new SafeguardedResponseExecutor(new Safeguards(new ProtectionOptions())),
                line => { lock (lines) lines.Add(line); });
        }

        public async ValueTask DisposeAsync()
        {
            Responder.Dispose();
            _agentHttp.Dispose();
            await Api.DisposeAsync();
            await Ingest.DisposeAsync();
        }
    }
}
