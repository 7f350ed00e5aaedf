using Vigil.Agent.Cli;
using Vigil.Testing;

namespace Vigil.Agent.Tests;

/// <summary><c>vigil-agent policy check|eval</c> on Datadog's real default policy and on broken files.</summary>
public sealed class PolicyCommandsTests
{
    private static string DefaultPolicy =>
        Path.Combine(TestSettings.RepositoryRoot, "tests", "testdata", "datadog", "datadog-default-policy-1.29.0.policy");

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AgentCommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Check_DatadogDefaultPolicy_LoadsEveryLinuxRuleAndReportsTheOthersAsFiltered()
    {
        var (exit, output, _) = await RunAsync("policy", "check", DefaultPolicy);

        Assert.Equal(0, exit);
        Assert.Contains("summary: 163 loaded, 37 agent_filter_error; 0 errors", output, StringComparison.Ordinal);
        Assert.Contains("rule `wmi_spawning_shell` agent_filter_error: none of the filters matched this host: os == \"windows\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PolicyWithABadRule_ReportsItAndFailsWhileTheOthersLoad()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("vigil-policy-").FullName, "custom.policy");
        await File.WriteAllTextAsync(file, """
            version: 1.0.0
            rules:
              - id: good_rule
                expression: exec.file.name == "nc"
              - id: bad_rule
                expression: exec.file.nmae == "nc"
            """);

        var (exit, output, _) = await RunAsync("policy", "check", file);

        Assert.Equal(1, exit);
        Assert.Contains("rule `good_rule` loaded", output, StringComparison.Ordinal);
        Assert.Contains("rule `bad_rule` syntax_error", output, StringComparison.Ordinal);
        Assert.Contains("exec.file.nmae", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_EventMatchingARule_NamesTheRuleAndTheTrueSubExpression()
    {
        var eventFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(eventFile,
            """{"evt":{"name":"exec"},"process":{"comm":"whoami","executable":{"path":"/usr/bin/whoami","name":"whoami"}}}""");

        var (exit, output, _) = await RunAsync("policy", "eval", "--event", eventFile, DefaultPolicy);

        Assert.Equal(0, exit);
        Assert.Contains("rule `exec_whoami` matched", output, StringComparison.Ordinal);
        Assert.Contains("exec.comm == \"whoami\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("policy", "check")]
    [InlineData("policy", "check", "/no/such/file.policy")]
    [InlineData("policy", "eval", "/no/such/file.policy")]
    public async Task BadArguments_FailWithAMessage(params string[] args)
    {
        var (exit, _, err) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith("vigil-agent: ", err, StringComparison.Ordinal);
    }
}
