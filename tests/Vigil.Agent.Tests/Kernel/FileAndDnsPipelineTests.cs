using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>
/// The file (fanotify) and DNS (raw socket) probes inside the kernel pipeline: real file operations and a real
/// DNS query become agent events of the rules that name them, with the acting process and the schema's shape.
/// </summary>
[Collection("kernel")]
public sealed class FileAndDnsPipelineTests : IAsyncLifetime
{
    private const string QueryName = "vigil-agent-test.example";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"vigilfim-{Guid.NewGuid():N}");
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly UdpClient _dnsServer = new(new IPEndPoint(IPAddress.Loopback, 0));
    private KernelPipeline? _pipeline;

    private int DnsPort => ((IPEndPoint)_dnsServer.Client.LocalEndPoint!).Port;

    public Task InitializeAsync()
    {
        if (Interop.Libc.GetEuid() != 0) return Task.CompletedTask;
        Directory.CreateDirectory(_directory);
        var policy = Path.Combine(_directory, "..", $"{Path.GetFileName(_directory)}.policy");
        File.WriteAllText(policy, $$"""
            rules:
              - id: vigiltest_file_create
                expression: open.file.path =~ "{{_directory}}/*" && open.flags & O_CREAT > 0
              - id: vigiltest_file_chmod
                expression: chmod.file.path =~ "{{_directory}}/*" && chmod.file.destination.mode == 493
              - id: vigiltest_file_rename
                expression: rename.file.path =~ "{{_directory}}/*" && rename.file.destination.name == "renamed.txt"
              - id: vigiltest_file_unlink
                expression: unlink.file.path =~ "{{_directory}}/*"
              - id: vigiltest_dns
                expression: dns.question.name == "{{QueryName}}" && dns.question.type == A
            """);
        var rules = RuleHost.Load([policy]);
        File.Delete(policy);
        Assert.Empty(rules.Loaded.Errors);
        Assert.Equal([_directory], WatchedPaths.Of(rules));
        _pipeline = new KernelPipeline(rules, e => _events.Enqueue(JsonNode.Parse(e.ToJsonString())!.AsObject()),
            new PipelineOptions { OnError = e => _errors.Enqueue($"{e.GetType().Name}: {e.Message}") });
        _pipeline.Start();
        DomainProbes.Add(_pipeline, rules, new DomainProbeOptions { DnsPorts = [DnsPort] });
        return Task.CompletedTask;
    }

    [RootFact]
    public async Task FileOperations_InAWatchedDirectory_EmitEventsWithTheActingProcess()
    {
        Assert.Contains(_pipeline!.StatusLines(), l => l.StartsWith("file: fanotify", StringComparison.Ordinal));
        var file = Path.Combine(_directory, "created.txt");
        // Paced: the probe classifies an attribute change by comparing stats, which needs the file to still be
        // there when the event is read (a known limit of fanotify's FID events, see docs/agent-shipping-and-probes.md).
        using var python = KernelFixture.StartPython($"""
            import os, time
            with open("{file}", "w") as f:
                f.write("x")
            time.sleep(0.5)
            os.chmod("{file}", 0o755)
            time.sleep(0.5)
            os.rename("{file}", "{_directory}/renamed.txt")
            time.sleep(0.5)
            os.unlink("{_directory}/renamed.txt")
            """);
        Assert.Equal("", await KernelFixture.FinishAsync(python));

        var created = await WaitForAsync("vigiltest_file_create");
        var chmod = await WaitForAsync("vigiltest_file_chmod");
        var renamed = await WaitForAsync("vigiltest_file_rename");
        var unlinked = await WaitForAsync("vigiltest_file_unlink");

        foreach (var evt in new[] { created, chmod, renamed, unlinked })
        {
            AgentEventSchema.AssertValid(evt);
            Assert.Equal(python.Id, evt["process"]!["pid"]!.GetValue<int>());
        }
        Assert.Equal(("open", file), ((string?)created["evt"]!["name"], (string?)created["file"]!["path"]));
        Assert.Contains("O_CREAT", created["file"]!["flags"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(0x1ED, chmod["file"]!["mode"]!.GetValue<int>() & 0xFFF);
        Assert.Equal((file, $"{_directory}/renamed.txt"), ((string?)renamed["file"]!["path"], (string?)renamed["file"]!["destination"]!["path"]));
        Assert.Equal($"{_directory}/renamed.txt", (string?)unlinked["file"]!["path"]);
    }

    [RootFact]
    public async Task DnsQuery_FromAShortLivedClient_EmitsTheQuestionAndTheExactSender()
    {
        Assert.Contains(_pipeline!.StatusLines(), l => l.StartsWith("dns: ebpf_dns running: dns: eBPF (tp_btf/net_dev_queue", StringComparison.Ordinal));
        // The client closes its socket right after sending and exits: the raw socket's /proc lookup could not find it.
        using var client = Dns.ShortLivedDnsClient.Start("127.0.0.1", DnsPort, 1, QueryName);
        Assert.Equal("", await KernelFixture.FinishAsync(client));

        var evt = await WaitForAsync("vigiltest_dns");

        AgentEventSchema.AssertValid(evt);
        var question = evt["dns"]!["question"]!;
        Assert.Equal((QueryName, "A", "IN"), ((string?)question["name"], (string?)question["type"], (string?)question["class"]));
        Assert.True(evt["dns"]!["is_query"]!.GetValue<bool>());
        Assert.Equal((client.Id, KernelFixture.Comm), (evt["process"]!["pid"]!.GetValue<int>(), (string?)evt["process"]!["comm"]));
        Assert.Equal(Environment.ProcessId, evt["process"]!["ppid"]!.GetValue<int>());
    }

    private async Task<JsonObject> WaitForAsync(string ruleId)
    {
        try
        {
            return await Eventually.ReturnsAsync(() => Task.FromResult(_events.FirstOrDefault(e => (string?)e["agent"]?["rule_id"] == ruleId)),
                $"an agent event of rule {ruleId}", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            var seen = string.Join(", ", _events.Select(x => $"{x["agent"]?["rule_id"]}:{x["file"]?["path"]}"));
            throw new TimeoutException($"{e.Message} Seen: [{seen}]. Probes: {string.Join(" | ", _pipeline!.StatusLines())}. Errors: {string.Join(" | ", _errors.Distinct())}", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_pipeline is not null) await _pipeline.DisposeAsync();
        _dnsServer.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, true);
    }
}
