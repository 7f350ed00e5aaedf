using Vigil.Agent.Rules;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Core.Secl.Policy;

namespace Vigil.Agent.RemoteConfig;

/// <summary>
/// Keeps the agent's rules in step with its organization's policy: starts from the last good policy on disk,
/// then long-polls the backend. Each new policy is verified and compiled off the event path, then swapped into
/// the <see cref="RuleHost"/> in one reference write, so every event is judged by the whole old rule set or the
/// whole new one. A policy that fails verification or compilation is refused and reported; the running one stays.
/// </summary>
public sealed class RemoteConfigService(
    RuleHost rules, RemoteConfigClient client, byte[] pinnedKey, RemoteConfigOptions options, string hostname, TextWriter log,
    SeclAgentOptions? agent = null)
{
    private readonly LastGoodPolicyStore _store = new(options.StateDirectory);
    private string? _etag;
    private string? _refusal;
    private bool _reported;

    /// <summary>The version running now (0: none yet) and its payload hash.</summary>
    public int RunningVersion { get; private set; }
    public string? RunningSha256 { get; private set; }

    /// <summary>Why the last policy offered was refused; null once a policy is taken.</summary>
    public string? LastRefusal => _refusal;

    /// <summary>Raised after a swap, with the new version (tests and logs).</summary>
    public event Action<int>? Swapped;

    /// <summary>Loads the last good policy from disk, if any verifies. Call before the pipeline starts.</summary>
    public void LoadLastGood()
    {
        if (_store.Read() is not { } saved)
            return;
        var (policy, refusal) = SignedPolicyVerifier.Verify(saved, pinnedKey, 0, options.HostTags, agent);
        if (policy is null)
        {
            _refusal = $"the saved policy was refused: {refusal}";
            log.WriteLine($"vigil-agent: remote config: {_refusal}");
            return;
        }
        Apply(policy, save: false);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await LoopAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var fetch = await client.FetchAsync(_etag, options.WaitSeconds, ct);
            if (fetch.Error is not null)
            {
                log.WriteLine($"vigil-agent: remote config: policy request failed: {fetch.Error}");
                await ReportIfNeededAsync(ct);
                await Delay(options.RetryDelay, ct);
                continue;
            }
            if (!fetch.NotModified)
                Offer(fetch.Policy!);
            // Remember the ETag even of a refused policy: ask again only when the server has something newer.
            _etag = fetch.ETag;
            await ReportIfNeededAsync(ct);
        }
    }

    /// <summary>Verifies, compiles and (when good) swaps in a signed policy. True when it now runs.</summary>
    public bool Offer(SignedPolicyDto received)
    {
        var (policy, refusal) = SignedPolicyVerifier.Verify(received, pinnedKey, RunningVersion, options.HostTags, agent);
        if (policy is null)
        {
            _refusal = $"policy version {received.Version} refused: {refusal}";
            _reported = false;
            log.WriteLine($"vigil-agent: remote config: {_refusal}; keeping version {RunningVersion}");
            return false;
        }
        if (policy.Bundle.Version == RunningVersion && policy.Sha256 == RunningSha256)
            return true;
        Apply(policy, save: true);
        return true;
    }

    private void Apply(VerifiedPolicy policy, bool save)
    {
        rules.Swap(policy.Loaded);
        RunningVersion = policy.Bundle.Version;
        RunningSha256 = policy.Sha256;
        _refusal = null;
        _reported = false;
        if (save)
            _store.Save(policy.Received);
        foreach (var error in policy.Loaded.Errors)
            log.WriteLine($"vigil-agent: remote config: {error}");
        log.WriteLine($"vigil-agent: remote config: running policy version {RunningVersion} ({policy.Loaded.RuleSet.Rules.Count} rules)");
        Swapped?.Invoke(RunningVersion);
    }

    public PolicyStatusReport Status() => new(hostname, RunningVersion == 0 ? null : RunningVersion, RunningSha256,
        rules.Loaded.Rules.Where(r => r.Status is SeclRuleStatus.Error or SeclRuleStatus.SyntaxError)
            .Select(r => new AgentPolicyLoadError(r.Id, r.Message ?? r.Status.ToDatadogName())).ToList(),
        _refusal);

    /// <summary>Sends the status now (the loop also sends it after every change or refusal).</summary>
    public async Task<bool> ReportAsync(CancellationToken ct) => _reported = await client.ReportAsync(Status(), ct);

    private async Task ReportIfNeededAsync(CancellationToken ct)
    {
        if (!_reported)
            await ReportAsync(ct);
    }

    private static async Task Delay(TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await Task.Delay(wait, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
