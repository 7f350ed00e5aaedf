namespace Vigil.Agent.RemoteConfig;

/// <summary>How the agent takes its policy from the backend (<c>run --remote-config</c>).</summary>
public sealed record RemoteConfigOptions
{
    /// <summary>The organization's policy-signing public key, pinned at enrolment (<c>--policy-key</c>).</summary>
    public string PinnedKeyPath { get; init; } = DefaultPinnedKeyPath();

    /// <summary>Where the last good signed policy is kept for restarts (<c>--policy-state</c>).</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory();

    /// <summary>This host's tags (<c>--tag env:prod</c>): policies scoped to tags load only where all are present.</summary>
    public IReadOnlyList<string> HostTags { get; init; } = [];

    /// <summary>
    /// Long-poll: how long the server may hold a request when nothing changed (it caps this at 60 s). Below the
    /// agent's 30 s HTTP timeout, which the policy requests share with the shipper.
    /// </summary>
    public int WaitSeconds { get; init; } = 20;

    /// <summary>Pause after a failed request before the next one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    public static string DefaultPinnedKeyPath() =>
        Environment.GetEnvironmentVariable("VIGIL_POLICY_KEY_FILE") is { Length: > 0 } configured ? configured
        : Environment.UserName == "root" ? "/etc/vigil-agent/policy-signing.pub"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "vigil-agent", "policy-signing.pub");

    public static string DefaultStateDirectory() =>
        Environment.GetEnvironmentVariable("VIGIL_POLICY_STATE_DIR") is { Length: > 0 } configured ? configured
        : Environment.UserName == "root" ? "/var/lib/vigil-agent/policy"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "vigil-agent", "policy");
}
