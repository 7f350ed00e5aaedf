using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Vigil.Agent.Probes.Dns;

namespace Vigil.Agent.Tests.Dns;

/// <summary>The AF_PACKET DNS probe on the real kernel (root): real UDP queries to a listener on loopback.</summary>
public sealed class RawSocketDnsProbeTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Probe_QueryToAListener_IsReportedWithNameTypeAndTheSendersPid(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        using var server = new UdpClient(new IPEndPoint(address, 0));
        using var ignoredServer = new UdpClient(new IPEndPoint(address, 0));
        var port = ((IPEndPoint)server.Client.LocalEndPoint!).Port;
        var channel = Channel.CreateBounded<DnsQueryRecord>(1000);
        using var probe = new RawSocketDnsProbe(new DnsProbeOptions { Ports = [port] }, channel.Writer);
        Assert.True(probe.Start(), probe.Status);
        Assert.Equal($"dns: raw socket (AF_PACKET, udp ports {port}; attribution: best_effort)", probe.Status);

        var name = $"q{Guid.NewGuid():N}.vigil.example";
        using var client = new UdpClient(address.AddressFamily);
        client.Connect(new IPEndPoint(address, port));
        // A query to a port outside the filter first: it must not show up.
        await client.Client.SendToAsync(Query(0x0bad, "ignored.vigil.example", 1), new IPEndPoint(address, ((IPEndPoint)ignoredServer.Client.LocalEndPoint!).Port));
        // Malformed messages to the DNS port: truncated header, a label running past the end, a compression loop.
        await client.SendAsync(new byte[] { 0x12, 0x34, 0x01 });
        await client.SendAsync(Query(0x1111, "truncated.vigil.example", 1).AsMemory(0, 20));
        var looped = Query(0x2222, "loop.vigil.example", 1);
        looped[12] = 0xc0;
        looped[13] = 12; // a pointer to itself
        await client.SendAsync(looped);
        var query = Query(0x4242, name, 28);
        await client.SendAsync(query);
        var received = await server.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var response = received.Buffer.ToArray();
        response[2] |= 0x80; // the same message with QR set: a response, which is not a query
        await server.SendAsync(response, received.RemoteEndPoint);

        // The client keeps its socket open until the record arrives, so the port still leads to this process.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var record = await channel.Reader.ReadAsync(timeout.Token);
        Assert.Equal((0x4242, name, "AAAA", "IN", query.Length, 1), (record.Id, record.Name, record.Type, record.Class, record.Size, record.QuestionCount));
        Assert.Equal((Environment.ProcessId, "best_effort"), (record.Pid, record.Attribution));
        Assert.Equal((((IPEndPoint)client.Client.LocalEndPoint!).Port, port), (record.SourcePort, record.DestinationPort));
        Assert.Equal(address, IPAddress.Parse(record.DestinationAddress));

        // A second query as a sentinel: nothing (neither the ignored query nor the response) came in between.
        await client.SendAsync(Query(0x4343, "sentinel." + name, 1));
        var sentinel = await channel.Reader.ReadAsync(timeout.Token);
        Assert.Equal(("sentinel." + name, "A"), (sentinel.Name, sentinel.Type));
        Assert.Equal(2, probe.Queries);
    }

    /// <summary>A DNS query message: header with RD set and one question (type, class IN).</summary>
    private static byte[] Query(ushort id, string name, ushort type)
    {
        var message = new List<byte>();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), 0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        message.AddRange(header);
        foreach (var label in name.Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }
        message.Add(0);
        message.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        return [.. message];
    }
}
