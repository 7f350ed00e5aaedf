using Vigil.Agent.RemoteConfig;

namespace Vigil.Agent.Cli;

/// <summary>
/// <c>vigil-agent enroll --url URL --api-key-file FILE [--policy-key PATH] [--public-key BASE64] [--force]</c>:
/// pins the organization's policy-signing public key. Without <c>--public-key</c> the key is fetched from the
/// backend over the agent's authenticated connection and trusted on first use: compare the printed fingerprint
/// with the one the Api shows (GET /api/v2/remote-config/public-key). With <c>--public-key</c> the key given out
/// of band is pinned and the backend is not asked. An existing, different pin is only replaced with <c>--force</c>.
/// </summary>
public static class EnrollCommand
{
    public static async Task<int> RunAsync(AgentSettings settings, IReadOnlyDictionary<string, string> options,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var path = options.GetValueOrDefault("policy-key") ?? RemoteConfigOptions.DefaultPinnedKeyPath();
        byte[]? key;
        string? error;
        if (options.GetValueOrDefault("public-key") is { } given)
        {
            (key, error) = PinnedPolicyKey.Parse(given);
        }
        else
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                var answer = await new RemoteConfigClient(http, settings).GetPublicKeyAsync(ct);
                (key, error) = answer is null ? (null, "the server sent no key") : PinnedPolicyKey.Parse(answer.PublicKey);
            }
            catch (HttpRequestException e)
            {
                (key, error) = (null, e.Message);
            }
        }
        if (key is null)
        {
            stderr.WriteLine($"vigil-agent: enroll: {error}");
            return 1;
        }
        if (PinnedPolicyKey.Read(path) is ({ } pinned, _) && !pinned.AsSpan().SequenceEqual(key) && !options.ContainsKey("force"))
        {
            stderr.WriteLine($"vigil-agent: enroll: {path} already pins another key ({PinnedPolicyKey.Fingerprint(pinned)}); " +
                "the organization's key changed or this is not your server. Use --force to replace it.");
            return 1;
        }
        PinnedPolicyKey.Write(path, key);
        stdout.WriteLine($"pinned policy key {PinnedPolicyKey.Fingerprint(key)} in {path}");
        return 0;
    }
}
