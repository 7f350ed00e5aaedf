using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Notifications.Routing;

/// <summary>A channel a signal update goes to, and why (a notification rule's id, or the handle in the rule message).</summary>
public sealed record Route(NotificationChannel Channel, string Reason, bool RenotifyOnSeverityIncrease);

/// <summary>
/// Decides which of the organization's enabled channels hear about a signal: those targeted by a matching
/// enabled notification rule, and those named by handles (<c>@slack-secops</c>) in the detection rule's
/// message, as Datadog does. Each channel appears once, whatever the number of rules naming it.
/// </summary>
public sealed partial class NotificationRouter(VigilDbContext db)
{
    public async Task<IReadOnlyList<Route>> RouteAsync(Signal signal, Severity severity, bool renotifyHandles, CancellationToken ct)
    {
        var channels = await db.NotificationChannels.AsNoTracking().Where(c => c.Enabled).ToDictionaryAsync(c => c.Id, ct);
        if (channels.Count == 0)
            return [];
        var ruleType = (await SignalRuleInfo.ForAsync(db, signal.RuleId, ct)).Type;
        var routes = new Dictionary<Guid, Route>();
        foreach (var rule in await db.NotificationRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.CreatedAt).ToListAsync(ct))
        {
            var matcher = new NotificationRuleMatcher(rule);
            if (!matcher.Matches(signal, severity, ruleType))
                continue;
            foreach (var id in matcher.ChannelIds)
            {
                if (channels.TryGetValue(id, out var channel) && (!routes.TryGetValue(id, out var known) || !known.RenotifyOnSeverityIncrease))
                    routes[id] = new Route(channel, $"rule:{rule.Id}", rule.RenotifyOnSeverityIncrease);
            }
        }
        foreach (var handle in Handles(signal.Message))
        {
            var channel = channels.Values.FirstOrDefault(c => ChannelTypesHandle(c).Equals(handle, StringComparison.OrdinalIgnoreCase));
            if (channel is not null && !routes.ContainsKey(channel.Id))
                routes[channel.Id] = new Route(channel, handle, renotifyHandles);
        }
        return [.. routes.Values];
    }

    /// <summary>The channel handles in a Markdown message: <c>@slack-x</c>, <c>@email-x</c>, <c>@pagerduty-x</c>, <c>@webhook-x</c>.</summary>
    public static IEnumerable<string> Handles(string? message) =>
        string.IsNullOrEmpty(message) ? [] : HandlePattern().Matches(message).Select(m => m.Value.TrimEnd('.', '-')).Distinct(StringComparer.OrdinalIgnoreCase);

    private static string ChannelTypesHandle(NotificationChannel c) => Channels.ChannelTypes.Handle(c.Type, c.Name);

    [GeneratedRegex(@"(?<![\w@])@(slack|email|pagerduty|webhook)-[A-Za-z0-9_.-]+")]
    private static partial Regex HandlePattern();
}
