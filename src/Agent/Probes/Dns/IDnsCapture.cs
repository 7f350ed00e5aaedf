namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// A mechanism that captures DNS queries into a channel of <see cref="DnsQueryRecord"/>: the eBPF probe (exact sender)
/// or the raw socket (best-effort sender). <see cref="Start"/> returns false with <see cref="Status"/> saying why.
/// </summary>
public interface IDnsCapture : IDisposable
{
    /// <summary>e.g. <c>dns: eBPF (…; attribution: exact)</c> or <c>dns: unavailable: …</c>.</summary>
    string Status { get; }

    /// <summary>Queries the kernel side dropped (ring buffer full, socket queue full).</summary>
    long KernelLosses { get; }

    /// <summary>Records refused by the full output channel.</summary>
    long ChannelDrops { get; }

    long Queries { get; }

    bool Start();

    void Stop();
}
