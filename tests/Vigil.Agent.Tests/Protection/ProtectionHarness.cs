using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vigil.Agent.Pipeline;
using Vigil.Agent.Protection;
using Vigil.Agent.Rules;
using Vigil.Testing;

namespace Vigil.Agent.Tests.Protection;

[CollectionDefinition("protection")]
public sealed class ProtectionCollection;

/// <summary>
/// One test's agent: its policy, Active Protection started before an eBPF pipeline (as the agent does), the
/// emitted events, and canary binaries (their first instructions create <c>PATH.ran</c>) in a temp directory.
/// </summary>
public sealed partial class ProtectionHarness : IAsyncDisposable
{
    private ProtectionHarness(string directory) => Directory = directory;

    public string Directory { get; }
    public ConcurrentQueue<JsonObject> Events { get; } = new();
    public ProtectionEngine? Engine { get; private set; }
    public KernelPipeline? Pipeline { get; private set; }
    public List<string> Log { get; } = [];

    public static string CryptominingPolicy => Path.Combine(TestSettings.RepositoryRoot, "content", "agent-policies", "cryptomining.policy");
    public static string MacrosPolicy => Path.Combine(TestSettings.RepositoryRoot, "content", "agent-policies", "macros.policy");

    /// <summary>The out-of-the-box crypto-mining policy in Blocking mode: a SIGKILL action on each blocking-capable rule (what the org setting does).</summary>
    public static string Blocking(string policyText) =>
        BlockingCapableTag().Replace(policyText, "$1    actions:\n      - kill: { signal: SIGKILL }\n");

    [GeneratedRegex(@"(\n      protection: blocking_capable\n)")]
    private static partial Regex BlockingCapableTag();

    /// <summary>Starts protection and the pipeline on the given policy texts (file name → YAML).</summary>
    public static ProtectionHarness Start(Dictionary<string, string> policies, ProtectionOptions? options = null)
    {
        var harness = new ProtectionHarness(System.IO.Directory.CreateTempSubdirectory("vigilprot-").FullName);
        var paths = new List<string>();
        foreach (var (name, text) in policies)
        {
            var path = Path.Combine(harness.Directory, name);
            File.WriteAllText(path, text);
            paths.Add(path);
        }
        var rules = RuleHost.Load(paths);
        Assert.Empty(rules.Loaded.Errors);
        harness.Engine = ProtectionStartup.Start(rules, harness.Collect, harness.Log.Add, options);
        harness.Pipeline = new KernelPipeline(rules, harness.Collect, new PipelineOptions { ProcessProbe = ProbeSelection.Ebpf, Actions = harness.Engine });
        harness.Pipeline.Start();
        return harness;
    }

    private void Collect(JsonObject evt) => Events.Enqueue(JsonNode.Parse(evt.ToJsonString())!.AsObject());

    /// <summary>Writes a canary named <paramref name="name"/> (in its own subdirectory when given: a distinct executable).</summary>
    public string Canary(string name, string? subdirectory = null)
    {
        var directory = subdirectory is null ? Directory : System.IO.Directory.CreateDirectory(Path.Combine(Directory, subdirectory)).FullName;
        var path = Path.Combine(directory, name);
        CanaryBinary.Write(path, path + ".ran");
        return path;
    }

    public static bool Ran(string canary) => File.Exists(canary + ".ran");

    public Task<JsonObject> WaitForAsync(string ruleId, Func<JsonObject, bool> match) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Events.FirstOrDefault(e => (string?)e["agent"]?["rule_id"] == ruleId && match(e))),
            $"an agent event of rule {ruleId}", TimeSpan.FromSeconds(30));

    public static JsonObject Action(JsonObject evt) => evt["agent"]!["rule_actions"]!.AsArray().Single()!.AsObject();

    public static int Pid(JsonObject evt) => evt["process"]!["pid"]!.GetValue<int>();

    public async ValueTask DisposeAsync()
    {
        if (Pipeline is not null) await Pipeline.DisposeAsync();
        Engine?.Dispose();
        System.IO.Directory.Delete(Directory, true);
    }
}
