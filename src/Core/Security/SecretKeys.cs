using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Security;

/// <summary>The kinds of bearer secrets Vigil issues; the prefix tells them apart at a glance.</summary>
public enum SecretKind
{
    /// <summary>Per-org key an agent uses to post events (<c>DD-API-KEY</c>).</summary>
    AgentApiKey,
    /// <summary>Key an API client uses for the REST API (<c>DD-APPLICATION-KEY</c> or bearer).</summary>
    ApplicationKey,
    /// <summary>Token behind a person's login session (held in the Web's encrypted cookie).</summary>
    SessionToken,
}

/// <summary>
/// Issues random bearer secrets and hashes them for storage. Secrets carry 256 bits of entropy, so a
/// single SHA-256 is enough (no slow KDF needed) and the hash can be an indexed lookup column.
/// </summary>
public static class SecretKeys
{
    public const int MaxLength = 128;

    public static string Prefix(SecretKind kind) => kind switch
    {
        SecretKind.AgentApiKey => "vga_",
        SecretKind.ApplicationKey => "vgk_",
        SecretKind.SessionToken => "vgs_",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Generate(SecretKind kind) =>
        Prefix(kind) + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Hex SHA-256 of the whole secret, prefix included.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A short, non-secret reminder of which key this is ("vga_…x7Qk").</summary>
    public static string Hint(string secret) =>
        secret.Length <= 8 ? "…" : string.Concat(secret.AsSpan(0, 4), "…", secret.AsSpan(secret.Length - 4));

    /// <summary>True when the text looks like a secret of this kind (cheap check before any lookup).</summary>
    public static bool HasShape(string? text, SecretKind kind) =>
        text is { Length: > 4 and <= MaxLength } && text.StartsWith(Prefix(kind), StringComparison.Ordinal);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
