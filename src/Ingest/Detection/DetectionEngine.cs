using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;
using Vigil.Core.Domain;
using Vigil.Core.Events;
using Vigil.Core.Query.Evaluation;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Detection;

/// <summary>
/// Evaluates a stored batch against the organization's detection rules, inside the batch's transaction:
/// rule state, new signals and signal updates commit together with the events, so a batch redelivered
/// after a crash is either fully applied or skipped — never counted twice. Two consumers touching the same
/// rule and group at once conflict on the state row's version; the loser retries the whole batch.
/// </summary>
public sealed class DetectionEngine(VigilDbContext db, DetectionRuleCache rules, TimeProvider clock)
{
    /// <summary>Events linked to one signal (its sample events); later ones only update the count.</summary>
    public const int MaxEventsPerSignal = 100;

    /// <summary>Open signals whose severity this unit of work raised, with the severity before (announced after commit).</summary>
    public Dictionary<Signal, Severity> Escalated { get; } = [];

    /// <summary>Applies the events; returns the signals it opened (the caller announces them after commit).</summary>
    public async Task<IReadOnlyList<Signal>> ApplyAsync(EventBatchAccepted batch, IReadOnlyList<AgentEvent> events, CancellationToken ct)
    {
        var (compiled, suppressions) = await rules.GetAsync(db, ct);
        var opened = new List<Signal>();
        var now = clock.GetUtcNow().UtcDateTime;

        await FlagLossesAsync(events, ct);
        var tags = QueryTags.Parse(HostTags(batch));
        var states = new Dictionary<(Guid Rule, string Group), (DetectionState Row, RuleGroupState State)>();
        foreach (var evt in events.Where(e => !InternalRuleIds.IsInternal(e.RuleId)).OrderBy(e => e.Timestamp))
        {
            using var json = JsonDocument.Parse(evt.Json);
            var document = new JsonEventDocument(json.RootElement, tags);
            foreach (var rule in compiled)
            {
                var matched = MatchedQueries(rule, document);
                if (matched is null || suppressions.Any(x => x.Hides(rule.Id, document, now)))
                    continue;
                var groupKey = RuleEvaluator.GroupKey(rule, document);
                var (row, state) = await StateAsync(states, rule.Id, groupKey, ct);
                var outcome = RuleEvaluator.Evaluate(rule, state, document, evt.Timestamp, matched);
                row.UpdatedAt = evt.ReceivedAt;
                if (outcome is not null && await RaiseAsync(rule, groupKey, outcome, evt, document, ct) is { } created)
                    opened.Add(created);
            }
        }

        foreach (var (row, state) in states.Values)
        {
            row.StateJson = JsonSerializer.Serialize(state);
            row.Version++;
        }
        return opened;
    }

    /// <summary>An agent's lost_events report marks that host's signals open around it as possibly incomplete.</summary>
    private async Task FlagLossesAsync(IReadOnlyList<AgentEvent> events, CancellationToken ct)
    {
        foreach (var loss in events.Where(e => e.RuleId == InternalRuleIds.LostEvents))
        {
            var from = loss.Timestamp.AddHours(-1);
            await db.Signals.Where(s => s.Hostname == loss.Hostname && s.LastSeen >= from && s.FirstSeen <= loss.Timestamp && !s.DataDropped)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.DataDropped, true), ct);
        }
    }

    private async Task<bool> HostReportedLossesAsync(string hostname, DateTime since, DateTime until, CancellationToken ct) =>
        await db.AgentEvents.AnyAsync(e => e.RuleId == InternalRuleIds.LostEvents && e.Hostname == hostname
            && e.Timestamp >= since && e.Timestamp <= until, ct);

    private static HashSet<string>? MatchedQueries(CompiledDetectionRule rule, IQueryDocument document)
    {
        HashSet<string>? matched = null;
        foreach (var query in rule.Queries)
        {
            if (query.Query.Matches(document))
                (matched ??= new HashSet<string>(StringComparer.Ordinal)).Add(query.Name);
        }
        return matched;
    }

    private static IEnumerable<string> HostTags(EventBatchAccepted batch)
    {
        yield return $"host:{batch.Hostname}";
        yield return "source:runtime-security-agent";
        foreach (var tag in batch.Tags ?? [])
            yield return tag;
    }

    private async Task<(DetectionState Row, RuleGroupState State)> StateAsync(
        Dictionary<(Guid, string), (DetectionState, RuleGroupState)> cache, Guid ruleId, string groupKey, CancellationToken ct)
    {
        if (cache.TryGetValue((ruleId, groupKey), out var known))
            return known;
        var row = await db.DetectionStates.FirstOrDefaultAsync(s => s.RuleId == ruleId && s.GroupKey == groupKey, ct);
        if (row is null)
        {
            row = new DetectionState { RuleId = ruleId, GroupKey = groupKey, StateJson = "{}" };
            db.DetectionStates.Add(row);
        }
        var state = JsonSerializer.Deserialize<RuleGroupState>(row.StateJson) ?? new RuleGroupState();
        return cache[(ruleId, groupKey)] = (row, state);
    }

    /// <summary>Updates the rule's open signal for the group within keep-alive, or opens a new one (returned).</summary>
    private async Task<Signal?> RaiseAsync(
        CompiledDetectionRule rule, string groupKey, DetectionOutcome outcome, AgentEvent evt, IQueryDocument document, CancellationToken ct)
    {
        var ruleId = rule.Id.ToString();
        var keepAliveFrom = evt.Timestamp.AddSeconds(-rule.Options.KeepAliveSeconds);
        var durationFrom = evt.Timestamp.AddSeconds(-rule.Options.MaxSignalDurationSeconds);
        bool Open(Signal s) => s.RuleId == ruleId && s.GroupKey == groupKey && s.TriageState != TriageState.Archived
            && s.LastSeen >= keepAliveFrom && s.FirstSeen >= durationFrom;

        var signal = db.Signals.Local.Where(Open).OrderByDescending(s => s.LastSeen).FirstOrDefault()
            ?? await db.Signals
                .Where(s => s.RuleId == ruleId && s.GroupKey == groupKey && s.TriageState != TriageState.Archived
                    && s.LastSeen >= keepAliveFrom && s.FirstSeen >= durationFrom)
                .OrderByDescending(s => s.LastSeen).FirstOrDefaultAsync(ct);
        if (signal is not null)
        {
            if (signal.EventCount < MaxEventsPerSignal)
                db.SignalEvents.Add(new SignalEvent { SignalId = signal.Id, EventId = evt.Id, Timestamp = evt.Timestamp });
            signal.EventCount++;
            signal.LastSeen = evt.Timestamp > signal.LastSeen ? evt.Timestamp : signal.LastSeen;
            if (outcome.Severity > signal.Severity)
            {
                // Signals opened in this same batch are announced with their final severity instead.
                if (db.Entry(signal).State != EntityState.Added)
                    Escalated.TryAdd(signal, signal.Severity);
                signal.Severity = outcome.Severity;
            }
            signal.Reason = outcome.Reason;
            return null;
        }

        var created = new Signal
        {
            RuleId = ruleId,
            RuleVersion = rule.Version,
            AgentRuleId = evt.RuleId,
            Title = Truncate(SignalText.Render(rule.Definition.Name, document), 512),
            Message = SignalText.Render(rule.Definition.Message, document),
            TagsJson = JsonSerializer.Serialize(rule.Definition.Tags, ApiJson.Options),
            Reason = Truncate(outcome.Reason, 1000),
            Severity = outcome.Severity,
            TriageState = TriageState.Open,
            Hostname = evt.Hostname,
            GroupKey = groupKey,
            FirstSeen = evt.Timestamp,
            LastSeen = evt.Timestamp,
            EventCount = 1,
            SampleEventJson = evt.Json,
            DataDropped = await HostReportedLossesAsync(evt.Hostname,
                evt.Timestamp.AddSeconds(-Math.Max(rule.Options.EvaluationWindowSeconds, 3600)), evt.Timestamp, ct),
        };
        db.Signals.Add(created);
        db.SignalEvents.Add(new SignalEvent { SignalId = created.Id, EventId = evt.Id, Timestamp = evt.Timestamp });
        return created;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
