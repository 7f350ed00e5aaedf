using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;

namespace Vigil.Agent.RemoteConfig;

/// <summary>
/// The last policy this agent verified and ran, kept policy on disk so a restart starts with it even when the
/// backend is unreachable (and verifies it again: the file is not trusted more than the network).
/// Written to a temporary file then renamed, so a crash never leaves half a policy.
/// </summary>
public sealed class LastGoodPolicyStore(string directory)
{
    public const string FileName = "last-good-policy.json";

    public string Path => System.IO.Path.Combine(directory, FileName);

    public SignedPolicyDto? Read()
    {
        try
        {
            return File.Exists(Path) ? JsonSerializer.Deserialize<SignedPolicyDto>(File.ReadAllBytes(Path), ApiJson.Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(SignedPolicyDto policy)
    {
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(policy, ApiJson.Options));
        File.Move(temporary, Path, overwrite: true);
    }
}
