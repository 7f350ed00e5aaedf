using System.Security.Cryptography;
using Vigil.Core.RemoteConfig;
using Vigil.Core.Secl.Policy;

namespace Vigil.Agent.RemoteConfig;

/// <summary>A signed policy that verified and compiled: ready to swap in. Rule errors are reported, not fatal.</summary>
public sealed record VerifiedPolicy(PolicyBundle Bundle, string Sha256, SeclLoadResult Loaded, SignedPolicyDto Received);

/// <summary>
/// Checks a signed policy before it may replace the running one: the signature against the pinned key (so a
/// tampered or unsigned policy, or one signed by another organization, is refused), the bundle format, that it
/// is not older than what runs (a replayed old policy), and that it compiles for this host's tags. A policy
/// some of whose rules fail here is taken, those rules reported; one that fails as a whole is refused.
/// </summary>
public static class SignedPolicyVerifier
{
    public static (VerifiedPolicy? Policy, string? Refusal) Verify(SignedPolicyDto? received, byte[] pinnedKey, int runningVersion,
        IReadOnlyCollection<string> hostTags, SeclAgentOptions? agent = null)
    {
        if (received is null || string.IsNullOrEmpty(received.Payload))
            return Refuse("the policy has no payload");
        if (string.IsNullOrEmpty(received.Signature))
            return Refuse("the policy is unsigned");
        byte[] payload, signature;
        try
        {
            payload = Convert.FromBase64String(received.Payload);
            signature = Convert.FromBase64String(received.Signature);
        }
        catch (FormatException)
        {
            return Refuse("the payload or signature is not base64");
        }
        if (payload.Length > PolicyBundle.MaxPayloadBytes)
            return Refuse($"the payload is over {PolicyBundle.MaxPayloadBytes} bytes");
        if (!PolicySignature.Verify(pinnedKey, payload, signature))
            return Refuse("the signature does not verify against the pinned key (tampered, or signed by another key)");
        var sha = Convert.ToHexStringLower(SHA256.HashData(payload));
        var bundle = PolicyBundle.Parse(payload);
        if (bundle is null)
            return Refuse("the signed payload is not a policy bundle this agent understands");
        if (bundle.Version < runningVersion)
            return Refuse($"version {bundle.Version} is older than the running version {runningVersion} (replayed)");

        var loaded = new SeclPolicyLoader(agent ?? new SeclAgentOptions())
            .LoadAll(bundle.For(hostTags).Select(f => new SeclPolicySource(f.Name, SeclPolicySources.RemoteConfig, f.Content)));
        var broken = loaded.Policies.Where(p => p.Error is not null && p.Error != "the policy is empty").ToList();
        if (broken.Count > 0)
            return Refuse("the policy does not compile: " + string.Join("; ", broken.Select(p => $"{p.Name}: {p.Error}")));
        var ruleErrors = loaded.Rules.Count(r => r.Status is SeclRuleStatus.Error or SeclRuleStatus.SyntaxError);
        if (ruleErrors > 0 && ruleErrors == loaded.Rules.Count)
            return Refuse($"the policy does not compile: none of its {ruleErrors} rules loads");
        return (new VerifiedPolicy(bundle, sha, loaded, received), null);
    }

    private static (VerifiedPolicy?, string?) Refuse(string reason) => (null, reason);
}
