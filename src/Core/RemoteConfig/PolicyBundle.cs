using System.Text.Json;
using Vigil.Core.Contracts.Api;

namespace Vigil.Core.RemoteConfig;

/// <summary>
/// The signed content of an organization's effective policy, as agents receive it: Datadog <c>.policy</c>
/// files, each loaded only on agents that carry all of its host tags. The payload bytes (this record as
/// JSON) are what the signature covers, so the organization and version cannot be altered either.
/// </summary>
public sealed record PolicyBundle(
    string Format,
    Guid OrganizationId,
    int Version,
    DateTimeOffset CreatedAt,
    string? ContentVersion,
    IReadOnlyList<PolicyBundleFile> Policies)
{
    public const string CurrentFormat = "vigil-policy-bundle/1";

    /// <summary>Bound on a payload, on both sides (the server refuses to publish more, agents to read more).</summary>
    public const int MaxPayloadBytes = 8 * 1024 * 1024;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ApiJson.Options);

    /// <summary>Null when the bytes are not a bundle of the current format.</summary>
    public static PolicyBundle? Parse(byte[] payload)
    {
        try
        {
            var bundle = JsonSerializer.Deserialize<PolicyBundle>(payload, ApiJson.Options);
            return bundle is { Format: CurrentFormat, Policies: not null } ? bundle : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The policy files an agent with these host tags loads.</summary>
    public IEnumerable<PolicyBundleFile> For(IReadOnlyCollection<string> agentTags) =>
        Policies.Where(p => p.HostTags.All(t => agentTags.Contains(t, StringComparer.Ordinal)));
}

/// <summary>One policy file of a bundle; <see cref="HostTags"/> empty: every agent loads it.</summary>
public sealed record PolicyBundleFile(string Name, IReadOnlyList<string> HostTags, string Content);

/// <summary>
/// What <c>GET /api/v2/agent/policy</c> answers: the payload bytes (base64) and their signature. Version and
/// hash are repeated outside for logs and status; an agent trusts only what it finds inside the verified payload.
/// </summary>
public sealed record SignedPolicyDto(int Version, string Sha256, string Payload, string Signature, Guid KeyId);

/// <summary>An organization's policy-signing public key, for agents to pin (raw 32 bytes, base64).</summary>
public sealed record PolicyPublicKeyDto(Guid KeyId, string Algorithm, string PublicKey);

/// <summary>
/// <c>POST /api/v2/agent/policy/status</c>: which policy the agent runs, the rules of it that failed to load,
/// and, when it refused the last policy offered, why.
/// </summary>
public sealed record PolicyStatusReport(
    string Hostname, int? RunningVersion, string? RunningSha256, IReadOnlyList<AgentPolicyLoadError> LoadErrors, string? Refusal);
