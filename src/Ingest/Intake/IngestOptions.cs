using System.ComponentModel.DataAnnotations;

namespace Vigil.Ingest.Intake;

/// <summary>Limits of the agent intake (<c>Vigil:Ingest</c>). Validated at start.</summary>
public sealed class IngestOptions
{
    public const string Section = "Vigil:Ingest";

    /// <summary>Largest request body as sent (compressed), in bytes.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public long MaxCompressedBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Largest batch once decompressed, in bytes (guards against decompression bombs).</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public long MaxDecompressedBytes { get; set; } = 25 * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxEventsPerBatch { get; set; } = 5_000;

    /// <summary>Events dated further back than this are refused as implausible.</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Events dated further ahead than this (clock skew) are refused.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait for the bus to confirm a publish before answering 503.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Batches one API key may post per second on average (token bucket); beyond it: 429.</summary>
    [Range(1, 100_000)]
    public int BatchesPerSecondPerKey { get; set; } = 50;

    /// <summary>Burst size of the per-key token bucket.</summary>
    [Range(1, 100_000)]
    public int BurstPerKey { get; set; } = 200;

    /// <summary>Batches this instance works on at once; beyond it: 429 (back-pressure).</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentBatches { get; set; } = 64;
}
