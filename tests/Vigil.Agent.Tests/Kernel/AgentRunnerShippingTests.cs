using System.Text.Json;
using Vigil.Agent.Tests.Shipping;
using Vigil.Core.Events;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary><c>vigil-agent run --policy</c> end to end: kernel and file probes → rules → spool → the real Ingest.</summary>
[Collection("kernel")]
public sealed class AgentRunnerShippingTests
{
    private static long Matched(string heartbeat)
    {
        using var json = JsonDocument.Parse(heartbeat);
        return json.RootElement.GetProperty("vigil").GetProperty("agent_stats").GetProperty("events_matched").GetInt64();
    }

    /// <summary>The probe self-test's status in a heartbeat ("running" until its exec and syscall were seen or timed out).</summary>
    private static string? SelfTest(string heartbeat)
    {
        using var json = JsonDocument.Parse(heartbeat);
        return json.RootElement.GetProperty("vigil").GetProperty("probes").TryGetProperty("self-test", out var status) ? status.GetString() : null;
    }

    [RootFact]
    public async Task Run_WithAPolicy_ShipsRuleMatchesAndHeartbeatsWithProbeStatus()
    {
        await using var fixture = await ShippingFixture.CreateAsync();
        await fixture.StartIngestAsync();
        var directory = Directory.CreateTempSubdirectory("vigilrun-").FullName;
        var policy = Path.Combine(directory, "..", Path.GetFileName(directory) + ".policy");
        await File.WriteAllTextAsync(policy, $$"""
            rules:
              - id: vigiltest_run_file
                description: file created in the test directory
                expression: open.file.path =~ "{{directory}}/*" && open.flags & O_CREAT > 0
            """);
        using var stop = new CancellationTokenSource();
        var settings = fixture.Settings with { HeartbeatInterval = TimeSpan.FromSeconds(1) };
        var runner = new AgentRunner(settings, fixture.SyncLog, new AgentRunOptions
        {
            Policies = [policy], SpoolDirectory = Path.Combine(fixture.SpoolDirectory, "run"),
        });
        var running = Task.Run(() => runner.RunAsync(stop.Token));
        try
        {
            var created = Path.Combine(directory, "dropped.bin");
            var writers = new List<int>();
            await Eventually.ReturnsAsync(async () =>
            {
                // Another process writes (the agent ignores its own file activity); until the probes are up a write goes unseen.
                using var writer = KernelFixture.StartPython($"import os\nopen('{created}', 'w').write('payload')\nos.unlink('{created}')");
                writers.Add(writer.Id);
                await KernelFixture.FinishAsync(writer);
                return (await fixture.StoredAsync()).FirstOrDefault(e => e.RuleId == "vigiltest_run_file").Json;
            }, "the file rule's event stored by Ingest", TimeSpan.FromSeconds(90));

            var stored = await fixture.StoredAsync();
            using var fileEvent = JsonDocument.Parse(stored.First(e => e.RuleId == "vigiltest_run_file").Json);
            Assert.Equal(created, fileEvent.RootElement.GetProperty("file").GetProperty("path").GetString());
            Assert.Contains(fileEvent.RootElement.GetProperty("process").GetProperty("pid").GetInt32(), writers);

            // Stored JSON may be reformatted by the database: read the counters, do not match text.
            var heartbeat = await Eventually.ReturnsAsync(async () =>
                (await fixture.StoredAsync()).Where(e => e.RuleId == InternalRuleIds.Heartbeat)
                    .Select(e => e.Json).LastOrDefault(j => j.Contains("fanotify", StringComparison.Ordinal) && Matched(j) >= 1 && SelfTest(j) is not (null or "running")),
                "a heartbeat with counters, the file probe's status and the self-test's outcome", TimeSpan.FromSeconds(60));
            using var beat = JsonDocument.Parse(heartbeat);
            var vigil = beat.RootElement.GetProperty("vigil");
            Assert.StartsWith("ebpf", vigil.GetProperty("probes").GetProperty("process").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("process ok", vigil.GetProperty("probes").GetProperty("self-test").GetString(), StringComparison.Ordinal);
            Assert.True(vigil.GetProperty("agent_stats").GetProperty("events_matched").GetInt64() >= 1);
            Assert.True(vigil.GetProperty("agent_stats").GetProperty("events_seen").GetInt64() >= 1);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            File.Delete(policy);
            Directory.Delete(directory, true);
        }
    }
}
