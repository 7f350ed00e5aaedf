using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Vigil.Agent.Probes.Dns;
using Vigil.Agent.Tests.Kernel;

namespace Vigil.Agent.Tests.Dns;

/// <summary>The eBPF DNS probe (tp_btf/net_dev_queue) on the real kernel (root): real UDP queries to a listener on loopback.</summary>
public sealed class EbpfDnsProbeTests
{
    [RootTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Probe_QueriesFromShortLivedClients_AreReportedWithTheExactSender(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        using var server = new UdpClient(new IPEndPoint(address, 0));
        using var ignoredServer = new UdpClient(new IPEndPoint(address, 0));
        var port = ((IPEndPoint)server.Client.LocalEndPoint!).Port;
        var channel = Channel.CreateBounded<DnsQueryRecord>(1000);
        using var probe = new EbpfDnsProbe(new DnsProbeOptions { Ports = [port] }, channel.Writer);
        Assert.True(probe.Start(), probe.Status);
        Assert.Equal($"dns: eBPF (tp_btf/net_dev_queue, udp ports {port}; attribution: exact)", probe.Status);

        var prefix = $"q{Guid.NewGuid():N}.vigil.example.n";
        // Queries to a port outside the set first: they must not show up.
        using var ignored = ShortLivedDnsClient.Start(loopback, ((IPEndPoint)ignoredServer.Client.LocalEndPoint!).Port, 1, "ignored." + prefix);
        Assert.Equal("", await KernelFixture.FinishAsync(ignored));
        const int count = 20;
        var names = Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToList();
        using var client = ShortLivedDnsClient.Start(loopback, port, 28, names);
        Assert.Equal("", await KernelFixture.FinishAsync(client));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var records = new List<DnsQueryRecord>();
        while (records.Count < count)
            records.Add(await channel.Reader.ReadAsync(timeout.Token));

        Assert.Equal(names, records.Select(r => r.Name));
        foreach (var record in records)
        {
            Assert.Equal(("AAAA", "IN", 1, "exact"), (record.Type, record.Class, record.QuestionCount, record.Attribution));
            Assert.Equal(client.Id, record.Pid);
            Assert.Equal((client.Id, Environment.ProcessId, KernelFixture.Comm), (record.Sender!.Tid, record.Sender.Ppid, record.Sender.Comm));
            Assert.Equal((port, address), (record.DestinationPort, IPAddress.Parse(record.DestinationAddress)));
            Assert.False(record.Truncated);
        }
        Assert.Equal(count, probe.Queries);
        Assert.Equal((0, 0), (probe.KernelLosses, probe.ChannelDrops));
        Assert.False(channel.Reader.TryRead(out var extra), $"unexpected record {extra?.Name}");
    }

    [RootFact]
    public void Probe_WithAMissingObject_FailsWithTheReason()
    {
        var channel = Channel.CreateBounded<DnsQueryRecord>(10);
        using var probe = new EbpfDnsProbe(new DnsProbeOptions { BpfObjectPath = "/nonexistent/vigil-dns.bpf.o" }, channel.Writer);

        Assert.False(probe.Start());
        Assert.StartsWith("dns: unavailable: BPF object /nonexistent/vigil-dns.bpf.o not found", probe.Status, StringComparison.Ordinal);
    }
}
