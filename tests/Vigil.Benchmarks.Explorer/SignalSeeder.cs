using System.Text.Json.Nodes;
using Vigil.Core.Domain;
using Vigil.Data.Entities;
using Vigil.Testing;

namespace Vigil.Benchmarks.Explorer;

/// <summary>Signals as detection stores them: spread over hosts, agent rules, severities and the last 20 hours.</summary>
internal static class SignalSeeder
{
    private static readonly Severity[] Severities = [Severity.Info, Severity.Low, Severity.Medium, Severity.Medium, Severity.High, Severity.Critical];
    private static readonly string[] AgentRules = ["shell_spawned", "ptrace_antidebug", "passwd_read", "crontab_modified", "kernel_module_loaded",
        "suspicious_curl", "ssh_key_added", "container_escape", "setuid_binary", "dns_tunnel"];
    private static readonly string[] Images = ["nginx:1.25", "redis:7", "postgres:16", "node:20-slim", "python:3.12", "alpine:3.20"];

    /// <summary>The container of signal <paramref name="i"/>: every other signal runs in a container of its host, images spread evenly.</summary>
    public static (string Id, string Image)? Container(int i, string host) =>
        i % 2 == 0 ? null : ($"{host}-container-{i % 6}", Images[i / 2 % Images.Length]);

    public static async Task SeedAsync(VigilTestHost api, Guid organizationId, int signals, int hosts)
    {
        var now = DateTime.UtcNow;
        const int batch = 1_000;
        for (var offset = 0; offset < signals; offset += batch)
        {
            await using var scope = api.CreateScope(organizationId, out var db);
            for (var i = offset; i < Math.Min(signals, offset + batch); i++)
            {
                var host = $"host-{i % hosts:000}";
                var rule = AgentRules[i % AgentRules.Length];
                var first = now.AddSeconds(-(i * 7.0) % (20 * 3600));
                var container = Container(i, host);
                db.Signals.Add(new Signal
                {
                    ContainerId = container?.Id, ContainerImage = container?.Image,
                    RuleId = Core.Detection.BuiltInDetectionRules.AgentRuleMatchedId.ToString(), AgentRuleId = rule,
                    Title = $"Rule {rule} matched", Severity = Severities[i % Severities.Length],
                    TriageState = i % 5 == 0 ? TriageState.Archived : i % 3 == 0 ? TriageState.UnderReview : TriageState.Open,
                    Hostname = host, GroupKey = $"host:{host}|agent.rule_id:{rule}", FirstSeen = first, LastSeen = first.AddMinutes(i % 30),
                    EventCount = 1 + i % 17, TagsJson = "[\"source:runtime-security-agent\",\"tactic:TA0002-execution\"]",
                    SampleEventJson = AgentBatches.ExecEvent(rule, new DateTimeOffset(first, TimeSpan.Zero)).Also(e => AddAncestry(e)).Also(e => AddContainer(e, container)).ToJsonString(),
                });
            }
            await db.SaveChangesAsync();
        }
    }

    private static void AddAncestry(JsonObject e) => e["process"]!["ancestors"] = new JsonArray(
        new JsonObject { ["pid"] = 812, ["comm"] = "nginx", ["executable"] = new JsonObject { ["path"] = "/usr/sbin/nginx" } },
        new JsonObject { ["pid"] = 1, ["comm"] = "systemd", ["executable"] = new JsonObject { ["path"] = "/usr/lib/systemd/systemd" } });

    private static void AddContainer(JsonObject e, (string Id, string Image)? container)
    {
        if (container is not { } c)
            return;
        e["container"] = new JsonObject { ["id"] = c.Id };
        e["tags"] = new JsonArray($"image_name:{c.Image}");
    }

    private static JsonObject Also(this JsonObject value, Action<JsonObject> change)
    {
        change(value);
        return value;
    }
}
