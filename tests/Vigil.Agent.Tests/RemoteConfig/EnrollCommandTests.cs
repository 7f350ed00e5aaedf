using Vigil.Agent.Cli;
using Vigil.Agent.RemoteConfig;
using Vigil.Core.RemoteConfig;

namespace Vigil.Agent.Tests.RemoteConfig;

/// <summary><c>vigil-agent enroll</c> with a key given out of band, and <c>run --remote-config</c> without a pin.</summary>
public sealed class EnrollCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"vigil-enroll-{Guid.NewGuid():N}");

    public EnrollCommandTests()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(KeyFile, "vga_not_used_when_the_key_is_given");
    }

    private string KeyFile => Path.Combine(_directory, "api.key");
    private string PinFile => Path.Combine(_directory, "pin", "policy-signing.pub");

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AgentCommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private Task<(int Exit, string Out, string Err)> EnrollAsync(string publicKey, params string[] more) =>
        RunAsync(["enroll", "--url", "http://127.0.0.1:9", "--api-key-file", KeyFile, "--policy-key", PinFile, "--public-key", publicKey, .. more]);

    [Fact]
    public async Task Enroll_WithAKeyGivenOutOfBand_PinsIt_AndRefusesToSilentlyReplaceItWithAnother()
    {
        var (_, first) = PolicySignature.GenerateKeyPair();
        var (_, second) = PolicySignature.GenerateKeyPair();

        var pinned = await EnrollAsync(Convert.ToBase64String(first));
        var replaced = await EnrollAsync(Convert.ToBase64String(second));
        var samePin = PinnedPolicyKey.Read(PinFile).Key;
        var forced = await EnrollAsync(Convert.ToBase64String(second), "--force");

        Assert.Equal(0, pinned.Exit);
        Assert.Contains(PinnedPolicyKey.Fingerprint(first), pinned.Out, StringComparison.Ordinal);
        Assert.Equal(1, replaced.Exit);
        Assert.Contains("already pins another key", replaced.Err, StringComparison.Ordinal);
        Assert.Equal(first, samePin);
        Assert.Equal(0, forced.Exit);
        Assert.Equal(second, PinnedPolicyKey.Read(PinFile).Key);
    }

    [Theory]
    [InlineData("not base64!", "not base64")]
    [InlineData("AAAA", "32 bytes")]
    public async Task Enroll_WithSomethingThatIsNotAKey_PinsNothing(string given, string says)
    {
        var (exit, _, err) = await EnrollAsync(given);

        Assert.Equal(1, exit);
        Assert.Contains(says, err, StringComparison.Ordinal);
        Assert.False(File.Exists(PinFile));
    }

    [Fact]
    public async Task RunWithRemoteConfig_WithoutAPinnedKey_FailsSayingToEnroll()
    {
        var (exit, _, err) = await RunAsync("run", "--remote-config", "--url", "http://127.0.0.1:9", "--api-key-file", KeyFile,
            "--policy-key", PinFile, "--spool", Path.Combine(_directory, "spool"));

        Assert.Equal(2, exit);
        Assert.Contains("vigil-agent enroll", err, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
