using System.Text.Json.Nodes;

namespace Vigil.Agent.Tests.Kernel;

/// <summary>The schema check itself must be able to fail, or the kernel tests' validation proves nothing.</summary>
public sealed class AgentEventSchemaTests
{
    [Fact]
    public void Errors_ForAnEventWithoutTitleAndWithAnUnknownKey_AreReported()
    {
        var evt = new JsonObject { ["agent"] = new JsonObject { ["rule_id"] = "x" }, ["not_a_datadog_key"] = 1 };

        var errors = AgentEventSchema.Errors(evt);

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Errors_ForAProcessWithoutUid_AreReported()
    {
        var evt = new JsonObject
        {
            ["agent"] = new JsonObject { ["rule_id"] = "x" }, ["title"] = "t",
            ["process"] = new JsonObject { ["pid"] = 1, ["gid"] = 0 },
        };

        Assert.NotEmpty(AgentEventSchema.Errors(evt));
    }

    [Fact]
    public void Errors_ForAMinimalValidEvent_AreEmpty()
    {
        var evt = new JsonObject { ["agent"] = new JsonObject { ["rule_id"] = "x" }, ["title"] = "t", ["date"] = "2026-01-01T00:00:00Z" };

        Assert.Empty(AgentEventSchema.Errors(evt));
    }
}
