using Vigil.Core.Domain;
using Vigil.Core.Events;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Detection;

/// <summary>
/// Walking-skeleton stand-in for the detection engine: one medium signal per stored agent event whose
/// rule is not one of the agent's internal events. The detection engine replaces this class.
/// </summary>
public static class PassThroughSignalRaiser
{
    public static IEnumerable<Signal> Raise(IEnumerable<AgentEvent> events)
    {
        foreach (var e in events)
        {
            if (InternalRuleIds.IsInternal(e.RuleId))
                continue;
            yield return new Signal
            {
                OrganizationId = e.OrganizationId,
                RuleId = e.RuleId,
                Title = e.Title,
                Severity = Severity.Medium,
                TriageState = TriageState.Open,
                Hostname = e.Hostname,
                GroupKey = $"host:{e.Hostname}|rule:{e.RuleId}",
                FirstSeen = e.Timestamp,
                LastSeen = e.Timestamp,
                EventCount = 1,
                SampleEventJson = e.Json,
            };
        }
    }
}
