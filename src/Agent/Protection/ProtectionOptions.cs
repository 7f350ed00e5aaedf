namespace Vigil.Agent.Protection;

/// <summary>
/// Safety settings of Active Protection. Defaults follow Datadog's: an executable disarmer of 5 distinct
/// executables per rule per minute; the rate limit bounds how often one rule may act at all.
/// </summary>
public sealed record ProtectionOptions
{
    /// <summary>Executables never acted on (exact paths; symlinks are resolved at start).</summary>
    public IReadOnlyList<string> AllowList { get; init; } = [];

    /// <summary>Actions one rule may take per second (token bucket, burst of the same size); beyond it the action is refused.</summary>
    public int MaxActionsPerSecond { get; init; } = 20;

    /// <summary>Distinct executables one rule may act on within <see cref="DisarmerPeriod"/> before it is disarmed.</summary>
    public int DisarmerMaxExecutables { get; init; } = 5;

    /// <summary>Window of the disarmer, and how long a tripped rule stays disarmed.</summary>
    public TimeSpan DisarmerPeriod { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a stopped (held) process waits for the rule engine's verdict before it is resumed (fail open).</summary>
    public TimeSpan HoldTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The BPF object with the exec guard; default VIGIL_PROTECT_BPF_OBJECT, else next to the agent.</summary>
    public string? BpfObjectPath { get; init; }

    /// <summary>Turns mechanisms off (benchmarks and tests compare them): the rule then falls back to the next one.</summary>
    public bool UseEbpf { get; init; } = true;

    public bool UseFanotify { get; init; } = true;

    /// <summary>Processes never acted on besides the agent and its ancestors (default: none).</summary>
    public IReadOnlyList<int> ExemptPids { get; init; } = [];

    public static string DefaultBpfObjectPath =>
        Environment.GetEnvironmentVariable("VIGIL_PROTECT_BPF_OBJECT") ?? Path.Combine(AppContext.BaseDirectory, "vigil-protect.bpf.o");
}
