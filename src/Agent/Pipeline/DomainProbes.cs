using Vigil.Agent.Probes.Dns;
using Vigil.Agent.Probes.Files;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Pipeline;

/// <summary>How the file and DNS probes run: extra directories to watch, the inotify fallback, the DNS server ports and probe.</summary>
public sealed record DomainProbeOptions
{
    /// <summary>Directories watched besides those the file rules name (<c>--watch</c>).</summary>
    public IReadOnlyList<string> ExtraWatch { get; init; } = [];

    /// <summary>Use the inotify fallback for files even when fanotify works (<c>--file-probe inotify</c>).</summary>
    public bool ForceFileFallback { get; init; }

    /// <summary>UDP ports of DNS servers whose queries are captured (<c>--dns-port</c>).</summary>
    public IReadOnlyList<int> DnsPorts { get; init; } = [53];

    /// <summary>
    /// <c>auto</c> (eBPF, else the raw socket), <c>ebpf</c> or <c>raw_socket</c> only (<c>--dns-probe</c> or VIGIL_DNS_PROBE):
    /// forcing one exercises the fallback on hosts where eBPF works.
    /// </summary>
    public string DnsProbe { get; init; } = DnsProbeChoice.Auto;

    /// <summary>The eBPF DNS object; null: VIGIL_DNS_BPF_OBJECT, else next to the agent.</summary>
    public string? DnsBpfObjectPath { get; init; }
}

/// <summary>The DNS probe choices of <see cref="DomainProbeOptions.DnsProbe"/>.</summary>
public static class DnsProbeChoice
{
    public const string Auto = "auto", Ebpf = "ebpf", RawSocket = "raw_socket";

    public static readonly string[] Choices = [Auto, Ebpf, RawSocket];
}

/// <summary>Adds the file and DNS probes to a pipeline when the loaded rules need them.</summary>
public static class DomainProbes
{
    public static void Add(KernelPipeline pipeline, RuleHost rules, DomainProbeOptions options)
    {
        var types = rules.EventTypes;
        if (types.Overlaps(WatchedPaths.FileEventTypes) || options.ExtraWatch.Count > 0)
        {
            pipeline.AddProbe(new FileKernelProbe(new FileProbeOptions
            {
                Prefixes = WatchedPaths.Of(rules, options.ExtraWatch),
                ForceFallback = options.ForceFileFallback,
                ReportOpens = types.Contains("open"),
            }));
        }
        if (types.Contains("dns"))
            AddDns(pipeline, options);
    }

    /// <summary>
    /// The DNS probe: eBPF first (exact sender), else the raw socket, whose status then ends with why eBPF is not used;
    /// a forced choice runs that one only. A probe that cannot start is reported, the agent keeps running.
    /// </summary>
    public static void AddDns(KernelPipeline pipeline, DomainProbeOptions options)
    {
        var dns = new DnsProbeOptions { Ports = options.DnsPorts, BpfObjectPath = options.DnsBpfObjectPath };
        string? reason = null;
        if (options.DnsProbe != DnsProbeChoice.RawSocket)
        {
            var ebpf = DnsKernelProbe.Ebpf(dns);
            if (pipeline.AddProbe(ebpf) || options.DnsProbe == DnsProbeChoice.Ebpf) return;
            reason = ebpf.Status.Detail.Replace("dns: unavailable: ", "", StringComparison.Ordinal);
        }
        pipeline.AddProbe(DnsKernelProbe.RawSocket(dns, reason));
    }
}
