namespace Vigil.Agent.Shipping;

/// <summary>When the spool forces its writes to the disk.</summary>
public enum SpoolFsyncPolicy
{
    /// <summary>fsync every batch file and the directory before the batch counts as spooled (survives power loss).</summary>
    EveryBatch,

    /// <summary>Leave it to the page cache (survives an agent crash or restart, not a power loss).</summary>
    Never,
}

/// <summary>How the <see cref="EventShipper"/> batches, spools and retries. Defaults suit a busy host.</summary>
public sealed record ShipperOptions
{
    /// <summary>Directory of the on-disk spool; created when missing (mode 0700).</summary>
    public required string SpoolDirectory { get; init; }

    /// <summary>Spool size limit; a batch that would pass it is dropped and counted.</summary>
    public long SpoolMaxBytes { get; init; } = 256L * 1024 * 1024;

    public SpoolFsyncPolicy Fsync { get; init; } = SpoolFsyncPolicy.EveryBatch;

    /// <summary>Events waiting in memory to be batched; beyond it <see cref="EventShipper.TryEnqueue"/> refuses (counted).</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>At most this many events per batch (Ingest takes 5,000; one slot stays free for a lost_events report).</summary>
    public int MaxBatchEvents { get; init; } = 500;

    /// <summary>A batch is closed once its uncompressed JSON passes this size (Ingest takes 25 MB decompressed).</summary>
    public int MaxBatchBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>A batch is closed this long after its first event at the latest.</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay after a failure; doubles per failure up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A Retry-After longer than this is capped (a misconfigured proxy must not park the agent for a day).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>On stop: how long to keep sending spooled batches before leaving the rest for the next start.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws with a clear message when a value is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(SpoolDirectory))
            throw new ArgumentException("SpoolDirectory is required.");
        if (SpoolMaxBytes < 4096)
            throw new ArgumentException("SpoolMaxBytes must be at least 4096.");
        if (QueueCapacity is < 1 or > 10_000_000)
            throw new ArgumentException("QueueCapacity must be between 1 and 10,000,000.");
        if (MaxBatchEvents is < 1 or > 4_999)
            throw new ArgumentException("MaxBatchEvents must be between 1 and 4,999 (Ingest takes 5,000 and a loss report may ride along).");
        if (MaxBatchBytes is < 1024 or > 20 * 1024 * 1024)
            throw new ArgumentException("MaxBatchBytes must be between 1 KiB and 20 MiB.");
        if (MaxBatchDelay <= TimeSpan.Zero || InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
            throw new ArgumentException("MaxBatchDelay and InitialBackoff must be positive, MaxBackoff at least InitialBackoff.");
    }
}
