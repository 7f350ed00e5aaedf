using System.Globalization;
using System.Text.Json.Nodes;

namespace Vigil.Agent.Protection;

/// <summary>
/// What one kill or block action did, as an entry of <c>agent.rule_actions</c>. Datadog's kill report fields
/// (<c>type, signal, scope, status, disarmer_type, created_at, detected_at, killed_at, ttr</c>) plus Vigil's
/// <c>mechanism</c> (how it acted), <c>reason</c> (why it was refused or failed) and <c>latency_us</c>
/// (exec to action). Statuses: Datadog's <c>performed, error, rule_disarmed</c>, and Vigil's <c>refused</c> (a
/// safeguard or the rate limit said no) and <c>not_performed</c> (the process was already gone).
/// </summary>
public sealed record RuleActionReport(string Type, string Status, string Mechanism)
{
    public string? Signal { get; init; }
    public string Scope { get; init; } = "process";
    public string? Reason { get; init; }
    public string? DisarmerType { get; init; }
    /// <summary>Wall-clock Unix ns of the exec (or event) the rule matched.</summary>
    public long CreatedAtNs { get; init; }
    /// <summary>When the agent decided (the kernel for eBPF kills, the gate for fanotify).</summary>
    public long DetectedAtNs { get; init; }
    /// <summary>When the signal was sent or the exec denied; 0 when nothing was done.</summary>
    public long ActedAtNs { get; init; }

    public const string Performed = "performed", Refused = "refused", Disarmed = "rule_disarmed", Error = "error", NotPerformed = "not_performed";

    public double? LatencyMicroseconds => ActedAtNs > 0 && CreatedAtNs > 0 ? Math.Max(0, ActedAtNs - CreatedAtNs) / 1000.0 : null;

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = Type };
        if (Signal is not null) json["signal"] = Signal;
        json["scope"] = Scope;
        json["status"] = Status;
        json["mechanism"] = Mechanism;
        if (Reason is not null) json["reason"] = Reason;
        if (DisarmerType is not null) json["disarmer_type"] = DisarmerType;
        if (CreatedAtNs > 0) json["created_at"] = Date(CreatedAtNs);
        if (DetectedAtNs > 0) json["detected_at"] = Date(DetectedAtNs);
        if (ActedAtNs > 0)
        {
            json[Type == "block" ? "blocked_at" : "killed_at"] = Date(ActedAtNs);
            if (LatencyMicroseconds is { } latency)
            {
                json["ttr"] = string.Create(CultureInfo.InvariantCulture, $"{latency / 1000.0:0.###}ms");
                json["latency_us"] = Math.Round(latency, 1);
            }
        }
        return json;
    }

    private static string Date(long unixNs) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixNs / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
