using Microsoft.EntityFrameworkCore;
using Vigil.Core.Detection;
using Vigil.Data;

namespace Vigil.Api.Features.Notifications.Routing;

/// <summary>The detection rule behind a signal, as notifications name it: its name and type (detection method).</summary>
public sealed record SignalRuleInfo(string Name, string Type)
{
    public static async Task<SignalRuleInfo> ForAsync(VigilDbContext db, string ruleId, CancellationToken ct)
    {
        if (!Guid.TryParse(ruleId, out var id))
            return new SignalRuleInfo(ruleId, "threshold");
        if (BuiltInDetectionRules.All.FirstOrDefault(r => r.Id == id) is { Definition: { } builtIn })
            return new SignalRuleInfo(builtIn.Name, MethodName(builtIn.Method));
        var row = await db.DetectionRules.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new { r.Name, r.Method }).FirstOrDefaultAsync(ct);
        return row is null ? new SignalRuleInfo(ruleId, "threshold") : new SignalRuleInfo(row.Name, row.Method);
    }

    private static string MethodName(DetectionMethod method) => method switch
    {
        DetectionMethod.NewValue => "new_value",
        DetectionMethod.Sequence => "sequence",
        _ => "threshold",
    };
}
