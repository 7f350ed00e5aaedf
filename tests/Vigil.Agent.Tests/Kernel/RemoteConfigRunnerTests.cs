using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Agent.RemoteConfig;
using Vigil.Agent.Tests.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>
/// <c>vigil-agent run --remote-config</c> on the real kernel against the real Api and Ingest: the agent runs the
/// org's signed policy, a rule changed in the API judges the next real exec, and the Agents API shows the version.
/// </summary>
[Collection("kernel")]
public sealed class RemoteConfigRunnerTests
{
    [RootFact]
    public async Task Run_WithRemoteConfig_FollowsARuleChangedInTheApi_OnRealExecs()
    {
        await using var stack = await RemoteConfigStack.StartAsync();
        var key = (await stack.Admin.GetFromJsonAsync<PolicyPublicKeyDto>("api/v2/remote-config/public-key", ApiJson.Options))!;
        PinnedPolicyKey.Write(stack.PinnedKeyFile, Convert.FromBase64String(key.PublicKey));
        var (before, after) = (Marker("rcold"), Marker("rcnew"));
        await stack.CreateRuleAsync("rc_runner", $"exec.file.name == \"{Path.GetFileName(before)}\"");
        var hostname = $"rc-runner-{Guid.NewGuid():N}"[..18];
        using var stop = new CancellationTokenSource();
        var runner = new AgentRunner(stack.Settings(hostname) with { HeartbeatInterval = TimeSpan.FromSeconds(1) }, TextWriter.Null, new AgentRunOptions
        {
            RemoteConfig = stack.Options(), SpoolDirectory = Path.Combine(stack.Directory, "spool"),
        });
        var running = Task.Run(() => runner.RunAsync(stop.Token));
        try
        {
            // Until the probes are up and the policy is in, an exec goes unseen: run it until one is stored.
            await StoredAsync(stack, before, () => Exec(before));

            using var change = await stack.Admin.PutAsJsonAsync("api/v2/agent-rules/rc_runner",
                new AgentRuleUpdateRequest(Expression: $"exec.file.name == \"{Path.GetFileName(after)}\""), ApiJson.Options);
            var changed = (await change.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options))!;
            await Eventually.TrueAsync(async () => (await AgentAsync(stack, hostname))?.PolicyVersion == changed.Policy.Version,
                "the agent reporting the new version", TimeSpan.FromSeconds(30));
            var lateArgument = $"after-change-{Guid.NewGuid():N}";
            Exec(before, lateArgument);
            await StoredAsync(stack, after, () => Exec(after));

            await using var scope = stack.Ingest.CreateScope(stack.Org.Id, out var db);
            var matches = await db.AgentEvents.Where(e => e.RuleId == "rc_runner").Select(e => e.Json).ToListAsync();
            Assert.Contains(matches, j => j.Contains(Path.GetFileName(after), StringComparison.Ordinal));
            Assert.Contains(matches, j => j.Contains(Path.GetFileName(before), StringComparison.Ordinal));
            // The old binary, run once the agent reported the new version, was judged by the new rule: no match.
            Assert.DoesNotContain(matches, j => j.Contains(lateArgument, StringComparison.Ordinal));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            File.Delete(before);
            File.Delete(after);
        }
    }

    private static async Task<AgentHostDto?> AgentAsync(RemoteConfigStack stack, string hostname) =>
        (await stack.Admin.GetFromJsonAsync<List<AgentHostDto>>("api/v2/agents", ApiJson.Options))!.FirstOrDefault(a => a.Hostname == hostname);

    private static async Task StoredAsync(RemoteConfigStack stack, string binary, Action exec) =>
        await Eventually.TrueAsync(async () =>
        {
            exec();
            await Task.Delay(500);
            await using var scope = stack.Ingest.CreateScope(stack.Org.Id, out var db);
            var stored = await db.AgentEvents.Where(e => e.RuleId == "rc_runner").Select(e => e.Json).ToListAsync();
            return stored.Any(j => j.Contains(Path.GetFileName(binary), StringComparison.Ordinal));
        }, $"an exec of {Path.GetFileName(binary)} stored", TimeSpan.FromSeconds(90));

    /// <summary>A copy of /bin/true (mode kept) under a unique name, so only this test's execs match.</summary>
    private static string Marker(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)]);
        File.Copy("/bin/true", path);
        return path;
    }

    private static void Exec(string path, string argument = "")
    {
        using var process = System.Diagnostics.Process.Start(path, argument);
        process.WaitForExit();
    }
}
