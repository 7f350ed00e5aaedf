using Vigil.Agent.Cli;

namespace Vigil.Agent.Tests;

public sealed class AgentCommandLineTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AgentCommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Status_WithoutAnIngestUrl_FailsNamingTheSetting()
    {
        var (exit, _, err) = await RunAsync("status", "--url", "");

        Assert.Equal(2, exit);
        Assert.Contains("--url or VIGIL_INGEST_URL", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WithoutAKey_FailsNamingTheSetting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-key-{Guid.NewGuid():N}");

        var (exit, _, err) = await RunAsync("status", "--url", "http://127.0.0.1:9", "--api-key-file", missing);

        Assert.Equal(2, exit);
        Assert.Contains("--api-key-file or VIGIL_API_KEY", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WithSettings_PrintsThemWithoutTheKey()
    {
        var keyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, "vga_secretsecretsecret\n");

        var (exit, output, _) = await RunAsync("status", "--url", "http://127.0.0.1:9", "--api-key-file", keyFile, "--hostname", "box-1");

        Assert.Equal(0, exit);
        Assert.Contains("hostname:  box-1", output, StringComparison.Ordinal);
        Assert.Contains("ingest:    http://127.0.0.1:9/", output, StringComparison.Ordinal);
        Assert.DoesNotContain("vga_secret", output, StringComparison.Ordinal);
        File.Delete(keyFile);
    }

    [Fact]
    public async Task UnknownCommand_PrintsUsageAndFails()
    {
        var (exit, output, _) = await RunAsync("explode");

        Assert.Equal(2, exit);
        Assert.Contains("usage: vigil-agent", output, StringComparison.Ordinal);
    }
}
