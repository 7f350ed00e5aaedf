using System.Diagnostics;
using Vigil.Testing;

namespace Vigil.EndToEnd.Tests;

/// <summary>docker-compose.yml is valid and describes the production deployment the README promises.</summary>
public sealed class DeploymentDescriptionTests
{
    private static async Task<(int Exit, string Output)> ComposeAsync(params string[] args)
    {
        const string compose = "/usr/bin/docker-compose";
        Assert.True(File.Exists(compose), $"docker-compose is needed to validate the file. {TestSettings.StartServersHint}");
        var start = new ProcessStartInfo(compose, ["-f", "docker-compose.yml", .. args])
        {
            WorkingDirectory = TestSettings.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["VIGIL_AGENT_API_KEY"] = "vga_placeholder";
        start.Environment["COMPOSE_PROFILES"] = "agent";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task ComposeFile_IsValid()
    {
        var (exit, output) = await ComposeAsync("config", "-q");

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task ComposeFile_DescribesEveryProductionService()
    {
        var (exit, output) = await ComposeAsync("config", "--services");

        Assert.True(exit == 0, output);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Subset(services.ToHashSet(), new HashSet<string> { "postgres", "rabbitmq", "migrate", "api", "ingest", "web", "agent" });
    }

    [Fact]
    public async Task ComposeFile_GivesTheAgentTheHostPidNamespaceAndKernelCapabilities()
    {
        var (exit, output) = await ComposeAsync("config");

        Assert.True(exit == 0, output);
        // `config` prints services in alphabetical order: the agent's block runs up to the api's.
        var agent = output[output.IndexOf("  agent:", StringComparison.Ordinal)..];
        var end = agent.IndexOf("\n  api:", StringComparison.Ordinal);
        agent = end > 0 ? agent[..end] : agent;
        Assert.Contains("pid: host", agent, StringComparison.Ordinal);
        Assert.Contains("BPF", agent, StringComparison.Ordinal);
        Assert.Contains("SYS_ADMIN", agent, StringComparison.Ordinal);
    }
}
