using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Rules;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>
/// Which DNS probe the pipeline runs: the raw-socket fallback when forced or when the eBPF object cannot be loaded
/// (its status line says why), and its events still reach the rules with the schema's shape.
/// </summary>
[Collection("kernel")]
public sealed class DnsProbeSelectionTests : IAsyncLifetime
{
    private readonly string _name = $"q{Guid.NewGuid():N}.vigil.example";
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly UdpClient _dnsServer = new(new IPEndPoint(IPAddress.Loopback, 0));
    private KernelPipeline? _pipeline;

    private int DnsPort => ((IPEndPoint)_dnsServer.Client.LocalEndPoint!).Port;

    [RootFact]
    public async Task ForcedRawSocket_QueryFromAHeldSocket_EmitsTheQuestionAndABestEffortSender()
    {
        var lines = Start(new DomainProbeOptions { DnsPorts = [DnsPort], DnsProbe = DnsProbeChoice.RawSocket });
        Assert.Contains(lines, l => l == $"dns: raw_socket running: dns: raw socket (AF_PACKET, udp ports {DnsPort}; attribution: best_effort) (events 0, lost 0)");
        Assert.DoesNotContain(lines, l => l.Contains("ebpf_dns", StringComparison.Ordinal));
        using var client = new UdpClient(AddressFamily.InterNetwork);
        // Held open while the probe attributes the query to this process (it looks the socket up in /proc).
        await client.SendAsync(Query(_name), new IPEndPoint(IPAddress.Loopback, DnsPort));

        var evt = await WaitForDnsAsync();

        AgentEventSchema.AssertValid(evt);
        Assert.Equal((_name, "A"), ((string?)evt["dns"]!["question"]!["name"], (string?)evt["dns"]!["question"]!["type"]));
        Assert.Equal(Environment.ProcessId, evt["process"]!["pid"]!.GetValue<int>());
    }

    [RootFact]
    public async Task Auto_WithAnUnloadableObject_FallsBackToTheRawSocketAndSaysWhy()
    {
        var lines = Start(new DomainProbeOptions { DnsPorts = [DnsPort], DnsBpfObjectPath = "/nonexistent/vigil-dns.bpf.o" });
        Assert.Contains(lines, l => l.StartsWith("dns: raw_socket running: dns: raw socket (AF_PACKET", StringComparison.Ordinal)
            && l.Contains("; eBPF not used: BPF object /nonexistent/vigil-dns.bpf.o not found", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  tried ebpf_dns: failed: dns: unavailable: BPF object /nonexistent/vigil-dns.bpf.o not found", StringComparison.Ordinal));
        using var client = new UdpClient(AddressFamily.InterNetwork);
        await client.SendAsync(Query(_name), new IPEndPoint(IPAddress.Loopback, DnsPort));

        var evt = await WaitForDnsAsync();

        AgentEventSchema.AssertValid(evt);
        Assert.Equal(_name, (string?)evt["dns"]!["question"]!["name"]);
    }

    [RootFact]
    public void ForcedEbpf_WithAnUnloadableObject_LeavesDnsUnavailable()
    {
        var lines = Start(new DomainProbeOptions { DnsPorts = [DnsPort], DnsProbe = DnsProbeChoice.Ebpf, DnsBpfObjectPath = "/nonexistent/vigil-dns.bpf.o" });

        Assert.Contains("dns: unavailable", lines);
        Assert.DoesNotContain(lines, l => l.Contains("raw_socket", StringComparison.Ordinal));
    }

    private IReadOnlyList<string> Start(DomainProbeOptions options)
    {
        var policy = Path.Combine(Path.GetTempPath(), $"vigildns-{Guid.NewGuid():N}.policy");
        File.WriteAllText(policy, $$"""
            rules:
              - id: vigiltest_dns_selection
                expression: dns.question.name == "{{_name}}"
            """);
        var rules = RuleHost.Load([policy]);
        File.Delete(policy);
        Assert.Empty(rules.Loaded.Errors);
        _pipeline = new KernelPipeline(rules, e => _events.Enqueue(JsonNode.Parse(e.ToJsonString())!.AsObject()),
            new PipelineOptions { SelfTestTimeout = TimeSpan.Zero });
        _pipeline.Start();
        DomainProbes.Add(_pipeline, rules, options);
        return _pipeline.StatusLines();
    }

    private Task<JsonObject> WaitForDnsAsync() =>
        Eventually.ReturnsAsync(() => Task.FromResult(_events.FirstOrDefault(e => (string?)e["agent"]?["rule_id"] == "vigiltest_dns_selection")),
            "an agent event of rule vigiltest_dns_selection", TimeSpan.FromSeconds(60));

    /// <summary>A standard DNS query for one A record.</summary>
    private static byte[] Query(string name)
    {
        var packet = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
        foreach (var label in name.Split('.'))
        {
            packet.Add((byte)label.Length);
            packet.AddRange(Encoding.ASCII.GetBytes(label));
        }
        packet.AddRange([0x00, 0x00, 0x01, 0x00, 0x01]);
        return [.. packet];
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_pipeline is not null) await _pipeline.DisposeAsync();
        _dnsServer.Dispose();
    }
}
