using Vigil.Agent.Probes.Dns;
using Vigil.Agent.Probes.Files;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Pipeline;

/// <summary>How the file and DNS probes run: extra directories to watch, the inotify fallback, the DNS server ports.</summary>
public sealed record DomainProbeOptions
{
    /// <summary>Directories watched besides those the file rules name (<c>--watch</c>).</summary>
    public IReadOnlyList<string> ExtraWatch { get; init; } = [];

    /// <summary>Use the inotify fallback for files even when fanotify works (<c>--file-probe inotify</c>).</summary>
    public bool ForceFileFallback { get; init; }

    /// <summary>UDP ports of DNS servers whose queries are captured (<c>--dns-port</c>).</summary>
    public IReadOnlyList<int> DnsPorts { get; init; } = [53];
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
            pipeline.AddProbe(new DnsKernelProbe(new DnsProbeOptions { Ports = options.DnsPorts }));
    }
}
