using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Agent.Cli;
using Vigil.Agent.RemoteConfig;
using Vigil.Agent.Rules;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Core.Contracts.Api;
using Vigil.Core.RemoteConfig;
using Vigil.Core.Secl.Evaluation;
using Xunit.Abstractions;

namespace Vigil.Agent.Tests.RemoteConfig;

/// <summary>
/// Remote configuration on the real stack (Api + Ingest on PostgreSQL and RabbitMQ, real HTTP): an agent enrolled
/// with the org's key follows rule changes made in the API within seconds, with no event lost or judged by no
/// rules during the swap, and refuses tampered, unsigned and non-compiling policies while keeping the good one.
/// </summary>
public sealed class RemoteConfigEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RuleChangedInTheApi_IsRunningOnTheAgentWithinSeconds_AndNoEventInFlightIsLost()
    {
        await using var stack = await RemoteConfigStack.StartAsync();
        var enroll = new StringWriter();
        var enrolled = await AgentCommandLine.RunAsync(
            ["enroll", "--url", stack.Ingest.Address.ToString(), "--api-key-file", stack.KeyFile, "--policy-key", stack.PinnedKeyFile],
            enroll, enroll, CancellationToken.None);
        var published = await stack.Admin.GetFromJsonAsync<PolicyPublicKeyDto>("api/v2/remote-config/public-key", ApiJson.Options);
        Assert.Equal(0, enrolled);
        Assert.Equal(published!.PublicKey, File.ReadAllText(stack.PinnedKeyFile).Trim());

        await stack.CreateRuleAsync("rc_steady", "exec.file.name == \"rc-steady\"");
        var created = await stack.CreateRuleAsync("rc_probe", "exec.file.name == \"rc-old\"");
        var rules = RuleHost.Empty();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new RemoteConfigClient(http, stack.Settings("rc-host-1"));
        var (key, _) = PinnedPolicyKey.Read(stack.PinnedKeyFile);
        var service = new RemoteConfigService(rules, client, key!, stack.Options(), "rc-host-1", TextWriter.Null);
        var swaps = new List<(int Version, long At)>();
        service.Swapped += v => { lock (swaps) swaps.Add((v, Stopwatch.GetTimestamp())); };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var loop = service.RunAsync(stop.Token);
        long? SwappedTo(int version)
        {
            lock (swaps)
                return swaps.Where(s => s.Version == version).Select(s => (long?)s.At).FirstOrDefault();
        }
        await Vigil.Testing.Eventually.TrueAsync(() => Task.FromResult(service.RunningVersion >= created.Policy.Version), "the first policy on the agent");
        Assert.Equal(["rc_probe"], rules.Evaluate(RemoteConfigStack.Exec("rc-old", 0)).Select(r => r.Id));
        var oldSteady = rules.RuleSet.Rules.Single(r => r.Id == "rc_steady");

        // The pipeline's consumer, in miniature: one thread judges a steady stream of events while the policy changes.
        var verdicts = new List<SeclRule?>();
        var feeding = true;
        var feeder = new Thread(() =>
        {
            for (long second = 1; Volatile.Read(ref feeding) || verdicts.Count < 50; second++)
            {
                var matched = rules.Evaluate(RemoteConfigStack.Exec("rc-steady", second));
                lock (verdicts) verdicts.Add(matched.Count == 1 ? matched[0] : null);
            }
        });
        feeder.Start();
        var changedAt = Stopwatch.GetTimestamp();
        using var change = await stack.Admin.PutAsJsonAsync("api/v2/agent-rules/rc_probe",
            new AgentRuleUpdateRequest(Expression: "exec.file.name == \"rc-new\""), ApiJson.Options);
        var changed = (await change.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AgentRuleChangeDto>(ApiJson.Options))!;
        await Vigil.Testing.Eventually.TrueAsync(() => Task.FromResult(SwappedTo(changed.Policy.Version) is not null), "the changed policy on the agent", TimeSpan.FromSeconds(10));
        var swappedAt = SwappedTo(changed.Policy.Version)!.Value;
        await Task.Delay(200);
        Volatile.Write(ref feeding, false);
        feeder.Join();

        var seconds = Stopwatch.GetElapsedTime(changedAt, swappedAt).TotalSeconds;
        output.WriteLine($"API change (request sent) → agent running version {changed.Policy.Version}: {seconds * 1000:F0} ms; {verdicts.Count} events judged during the change");
        Assert.True(seconds < 5, $"the agent took {seconds:F1} s");
        Assert.Empty(rules.Evaluate(RemoteConfigStack.Exec("rc-old", 1_000_000)));
        Assert.Equal(["rc_probe"], rules.Evaluate(RemoteConfigStack.Exec("rc-new", 1_000_001)).Select(r => r.Id));
        // Every event judged exactly once by a whole rule set: first the old one, then the new one, never none.
        Assert.All(verdicts, v => Assert.Equal("rc_steady", v?.Id));
        var fromOld = verdicts.TakeWhile(v => ReferenceEquals(v, oldSteady)).Count();
        Assert.InRange(fromOld, 1, verdicts.Count - 1);
        Assert.DoesNotContain(verdicts.Skip(fromOld), v => ReferenceEquals(v, oldSteady));

        // A restart starts from the last good policy on disk, before any request.
        var restarted = RuleHost.Empty();
        var again = new RemoteConfigService(restarted, client, key!, stack.Options(), "rc-host-1", TextWriter.Null);
        again.LoadLastGood();
        Assert.Equal(changed.Policy.Version, again.RunningVersion);
        Assert.Equal(["rc_probe"], restarted.Evaluate(RemoteConfigStack.Exec("rc-new", 0)).Select(r => r.Id));
        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task TamperedUnsignedOrNonCompilingPolicy_IsRefusedAndReported_AndTheRunningOneStays()
    {
        await using var stack = await RemoteConfigStack.StartAsync();
        var key = Convert.FromBase64String((await stack.Admin.GetFromJsonAsync<PolicyPublicKeyDto>("api/v2/remote-config/public-key", ApiJson.Options))!.PublicKey);
        PinnedPolicyKey.Write(stack.PinnedKeyFile, key); // pinned out of band
        var created = await stack.CreateRuleAsync("rc_guard", "exec.file.name == \"rc-guard\"");
        var rules = RuleHost.Empty();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new RemoteConfigClient(http, stack.Settings("rc-host-2"));
        var service = new RemoteConfigService(rules, client, key, stack.Options(), "rc-host-2", TextWriter.Null);
        var fetched = await client.FetchAsync(null, 0, CancellationToken.None);
        Assert.True(service.Offer(fetched.Policy!));
        Assert.Equal(created.Policy.Version, service.RunningVersion);

        // Tampered: the rule's expression changed in transit (the signature no longer matches).
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(fetched.Policy!.Payload)).Replace("rc-guard", "rc-other", StringComparison.Ordinal);
        var tampered = fetched.Policy with { Payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)) };
        Assert.False(service.Offer(tampered));
        Assert.Contains("signature does not verify", service.LastRefusal, StringComparison.Ordinal);
        Assert.True(await service.ReportAsync(CancellationToken.None));
        var reported = await Vigil.Testing.Eventually.ReturnsAsync(async () =>
            (await stack.Admin.GetFromJsonAsync<List<AgentHostDto>>("api/v2/agents", ApiJson.Options))!.FirstOrDefault(a => a.Hostname == "rc-host-2"), "the agent's report");
        Assert.Equal(created.Policy.Version, reported.PolicyVersion);
        Assert.Contains("signature does not verify", reported.PolicyRefusal, StringComparison.Ordinal);

        // Unsigned, and signed with another key.
        Assert.False(service.Offer(fetched.Policy with { Signature = "" }));
        Assert.Contains("unsigned", service.LastRefusal, StringComparison.Ordinal);
        var (otherKey, _) = PolicySignature.GenerateKeyPair();
        Assert.False(service.Offer(fetched.Policy with { Signature = Convert.ToBase64String(PolicySignature.Sign(otherKey, Convert.FromBase64String(fetched.Policy.Payload))) }));

        // Correctly signed by the org's own key but not compiling (a server that went wrong): refused too.
        var bundle = PolicyBundle.Parse(Convert.FromBase64String(fetched.Policy.Payload))!;
        var broken = bundle with { Version = bundle.Version + 1, Policies = [new PolicyBundleFile("broken.policy", [], "rules: [ {id: x, expression: ")] };
        Assert.False(service.Offer(await SignAsync(stack, broken)));
        Assert.Contains("does not compile", service.LastRefusal, StringComparison.Ordinal);

        // Through all of it the good policy kept running.
        Assert.Equal(created.Policy.Version, service.RunningVersion);
        Assert.Equal(["rc_guard"], rules.Evaluate(RemoteConfigStack.Exec("rc-guard", 0)).Select(r => r.Id));
        Assert.True(await service.ReportAsync(CancellationToken.None));
        var after = (await stack.Admin.GetFromJsonAsync<List<AgentHostDto>>("api/v2/agents", ApiJson.Options))!.Single(a => a.Hostname == "rc-host-2");
        Assert.Contains("does not compile", after.PolicyRefusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostTagScopedRule_LoadsOnlyOnAgentsCarryingTheTags_AndLoadErrorsAreReported()
    {
        await using var stack = await RemoteConfigStack.StartAsync();
        var key = Convert.FromBase64String((await stack.Admin.GetFromJsonAsync<PolicyPublicKeyDto>("api/v2/remote-config/public-key", ApiJson.Options))!.PublicKey);
        await stack.CreateRuleAsync("rc_prod_only", "exec.file.name == \"rc-prod\"", "env:prod");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new RemoteConfigClient(http, stack.Settings("rc-host-3"));
        var fetched = (await client.FetchAsync(null, 0, CancellationToken.None)).Policy!;

        var prod = RuleHost.Empty();
        var staging = RuleHost.Empty();
        Assert.True(new RemoteConfigService(prod, client, key, stack.Options("env:prod", "team:a"), "p", TextWriter.Null).Offer(fetched));
        Assert.True(new RemoteConfigService(staging, client, key, stack.Options("env:staging"), "s", TextWriter.Null).Offer(fetched));

        Assert.Equal(["rc_prod_only"], prod.Evaluate(RemoteConfigStack.Exec("rc-prod", 0)).Select(r => r.Id));
        Assert.Empty(staging.Evaluate(RemoteConfigStack.Exec("rc-prod", 0)));
        // The out-of-the-box rules load on both.
        Assert.True(staging.RuleSet.Rules.Count > 100);
    }

    [Fact]
    public async Task PolicyRequest_IsConditional_AndLongPollAnswersAsSoonAsTheRuleChanges()
    {
        await using var stack = await RemoteConfigStack.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new RemoteConfigClient(http, stack.Settings("rc-host-4"));
        var first = await client.FetchAsync(null, 0, CancellationToken.None);
        var unchanged = await client.FetchAsync(first.ETag, 0, CancellationToken.None);
        Assert.NotNull(first.Policy);
        Assert.True(unchanged.NotModified);

        var watch = Stopwatch.StartNew();
        var waiting = client.FetchAsync(first.ETag, 20, CancellationToken.None);
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        await stack.CreateRuleAsync("rc_longpoll", "exec.file.name == \"rc-lp\"");
        var answered = await waiting;
        output.WriteLine($"long poll answered {watch.ElapsedMilliseconds} ms after it was sent (rule created at ~500 ms)");
        Assert.NotNull(answered.Policy);
        Assert.True(answered.Policy.Version > first.Policy!.Version);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    private static async Task<SignedPolicyDto> SignAsync(RemoteConfigStack stack, PolicyBundle bundle)
    {
        await using var scope = stack.Api.CreateScope(stack.Org.Id, out _);
        var keys = scope.ServiceProvider.GetRequiredService<PolicySigningKeys>();
        var key = await keys.GetOrCreateAsync(CancellationToken.None);
        var payload = bundle.ToBytes();
        return new SignedPolicyDto(bundle.Version, "", Convert.ToBase64String(payload), Convert.ToBase64String(keys.Sign(key, payload)), key.Id);
    }
}
