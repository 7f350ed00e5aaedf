namespace Vigil.Agent.Probes.Files;

/// <summary>What the file probe watches and how.</summary>
public sealed record FileProbeOptions
{
    /// <summary>Absolute path prefixes to watch (a prefix covers itself and everything below it).</summary>
    public required IReadOnlyList<string> Prefixes { get; init; }

    /// <summary>Use the inotify fallback even when fanotify works (tests, or kernels where fanotify misbehaves).</summary>
    public bool ForceFallback { get; init; }

    /// <summary>Report opens (busy: every read of every watched file). Off leaves writes, metadata and namespace changes.</summary>
    public bool ReportOpens { get; init; } = true;

    /// <summary>Ignore what the agent's own process does (its spool, its /proc reads).</summary>
    public bool ExcludeOwnProcess { get; init; } = true;

    /// <summary>Files whose last stat is remembered to classify attribute changes (chmod/chown/utimes/xattr).</summary>
    public int StatCacheEntries { get; init; } = 65_536;

    /// <summary>At start, stat up to this many existing entries below the prefixes, so a first chmod is classified.</summary>
    public int InitialScanEntries { get; init; } = 20_000;

    public IReadOnlyList<string> NormalizedPrefixes() =>
        Prefixes.Select(p => System.IO.Path.GetFullPath(p).TrimEnd('/') is { Length: > 0 } n ? n : "/").Distinct(StringComparer.Ordinal).ToList();
}
