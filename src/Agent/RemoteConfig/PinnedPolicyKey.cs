using System.Security.Cryptography;
using Vigil.Core.RemoteConfig;

namespace Vigil.Agent.RemoteConfig;

/// <summary>
/// The pinned policy-signing public key: one line, the raw 32-byte Ed25519 key in base64. Public, but only the
/// owner may change it (mode 0644), since whoever replaces it can push policies to this host.
/// </summary>
public static class PinnedPolicyKey
{
    /// <summary>The key, or null with the reason when the text is not one.</summary>
    public static (byte[]? Key, string? Error) Parse(string text)
    {
        try
        {
            var key = Convert.FromBase64String(text.Trim());
            return key.Length == PolicySignature.KeySize ? (key, null) : (null, $"an Ed25519 public key is {PolicySignature.KeySize} bytes, not {key.Length}");
        }
        catch (FormatException)
        {
            return (null, "the key is not base64");
        }
    }

    public static (byte[]? Key, string? Error) Read(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : (null, $"no pinned policy key at {path}: run `vigil-agent enroll` first");

    public static void Write(string path, byte[] key)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
            writer.WriteLine(Convert.ToBase64String(key));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>SHA-256 of the key (hex, grouped), to compare by eye with what the Api shows.</summary>
    public static string Fingerprint(byte[] key)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(key));
        return string.Join(':', Enumerable.Range(0, 8).Select(i => hex.Substring(i * 8, 8)));
    }
}
