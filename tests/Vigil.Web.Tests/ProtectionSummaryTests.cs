using System.Text.Json;
using Vigil.Web.Signals;

namespace Vigil.Web.Tests;

public sealed class ProtectionSummaryTests
{
    private static string? Describe(string actions) =>
        ProtectionSummary.Describe(JsonDocument.Parse("{\"agent\":{\"rule_id\":\"r\",\"rule_actions\":" + actions + "}}").RootElement);

    [Fact]
    public void Describe_EachOutcome_SaysWhatHappened()
    {
        Assert.Equal("Killed (SIGKILL) stopped at exec, then killed before its first instruction, 0.8ms after exec.",
            Describe("""[{"type":"kill","signal":"SIGKILL","status":"performed","mechanism":"hold","ttr":"0.8ms"}]"""));
        Assert.Equal("Blocked: the exec was denied before the binary was loaded.", Describe("""[{"type":"block","status":"performed","mechanism":"fanotify"}]"""));
        Assert.Equal("Not killed: refused by a safeguard (allow_list).", Describe("""[{"type":"kill","status":"refused","reason":"allow_list","mechanism":"user_space"}]"""));
        Assert.StartsWith("Not killed: the rule is disarmed (executable disarmer", Describe("""[{"type":"kill","status":"rule_disarmed","disarmer_type":"executable"}]"""));
        Assert.Equal("Kill failed (error): pidfd_open failed (errno 1).", Describe("""[{"type":"kill","status":"error","reason":"pidfd_open failed (errno 1)"}]"""));
    }

    [Fact]
    public void Describe_WithoutProtectionActions_IsNull()
    {
        Assert.Null(ProtectionSummary.Describe(JsonDocument.Parse("""{"agent":{"rule_id":"r"}}""").RootElement));
        Assert.Null(Describe("""[{"type":"hash","status":"performed"}]"""));
        Assert.Null(ProtectionSummary.Describe(JsonDocument.Parse("[]").RootElement));
    }
}
