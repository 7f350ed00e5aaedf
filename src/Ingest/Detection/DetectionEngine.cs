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

    /// <summary>The signal/event links this unit of work made, written by the caller once the signals are saved.</summary>
    public List<SignalEvent> Links { get; } = [];

    /// <summary>Applies the events; returns the signals it opened (the caller announces them after commit).</summary>
    public async Task<IReadOnlyList<Signal>> ApplyAsync(EventBatchAccepted batch, IReadOnlyList<AgentEvent> events, CancellationToken ct)
    {
        Links.Clear();
        var (compiled, suppressions) = await rules.GetAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await FlagLossesAsync(events, ct);

        // Pass 1: find every (rule, group) each event hits, so the state and open signals of
        // the whole batch load in one query each.
        var tags = QueryTags.Parse(HostTags(batch));
        var hits = new List<Hit>();
        // events[i] is batch.Events[i] as a row; the message already holds each event parsed.
        var order = Enumerable.Range(0, events.Count).Where(i => !InternalRuleIds.IsInternal(events[i].RuleId)).OrderBy(i => events[i].Timestamp);
        foreach (var i in order)
        {
            var evt = events[i];
            var json = batch.Events[i].Json!; // the consumer's ReceivedBatch sets it on every event
            var document = new JsonEventDocument(json.Element, tags);
            foreach (var rule in compiled)
            {
                var matched = MatchedQueries(rule, document);
                if (matched is not null && !suppressions.Any(x => x.Hides(rule.Id, document, now)))
                    hits.Add(new Hit(rule, RuleEvaluator.GroupKey(rule, document), evt, json, document, matched));
            }
        }

        var working = new BatchWorkingSet(db);
        await working.LoadAsync([.. hits.Select(h => (h.Rule, h.Group, h.Event.Timestamp))], batch.Hostname, ct);

        // Pass 2: evaluate in event-time order against the loaded state.
        var opened = new List<Signal>();
        foreach (var hit in hits)
        {
            var (row, state) = working.State(hit.Rule.Id, hit.Group);
            var outcome = RuleEvaluator.Evaluate(hit.Rule, state, hit.Document, hit.Event.Timestamp, hit.Matched);
            row.UpdatedAt = hit.Event.ReceivedAt;
            if (outcome is not null && Raise(working, hit, outcome) is { } created)
                opened.Add(created);
        }
        working.SaveStates();
        return opened;
    }

    /// <summary>One event matched by one rule (not suppressed), with its group.</summary>
    private sealed record Hit(CompiledDetectionRule Rule, string Group, AgentEvent Event, RawJson Json, JsonEventDocument Document, HashSet<string> Matched);

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

    /// <summary>Updates the rule's open signal for the group within keep-alive, or opens a new one (returned).</summary>
    private Signal? Raise(BatchWorkingSet working, Hit hit, DetectionOutcome outcome)
    {
        var (rule, groupKey, evt) = (hit.Rule, hit.Group, hit.Event);
        var ruleId = rule.Id.ToString();
        var signal = working.OpenSignal(ruleId, groupKey,
            keepAliveFrom: evt.Timestamp.AddSeconds(-rule.Options.KeepAliveSeconds),
            durationFrom: evt.Timestamp.AddSeconds(-rule.Options.MaxSignalDurationSeconds));
        if (signal is not null)
        {
            if (signal.EventCount < MaxEventsPerSignal)
                Links.Add(Link(signal, evt));
            signal.EventCount++;
            signal.LastSeen = evt.Timestamp > signal.LastSeen ? evt.Timestamp : signal.LastSeen;
            if (outcome.Severity > signal.Severity)
            {
                // Signals opened in this same batch are announced with their final severity instead.
                if (db.Entry(signal).State != EntityState.Added)
                    Escalated.TryAdd(signal, signal.Severity);
                signal.Severity = outcome.Severity;
            }
            signal.Reason = Truncate(outcome.Reason, Signal.MaxReasonLength); // a new value can be any length
            return null;
        }

        var (containerId, image) = Container(hit.Document.Root);
        var created = new Signal
        {
            ContainerId = containerId,
            ContainerImage = image,
            RuleId = ruleId,
            RuleVersion = rule.Version,
            AgentRuleId = evt.RuleId,
            Title = Truncate(SignalText.Render(rule.Definition.Name, hit.Document), 512),
            Message = SignalText.Render(rule.Definition.Message, hit.Document),
            TagsJson = JsonSerializer.Serialize(rule.Definition.Tags, ApiJson.Options),
            Reason = Truncate(outcome.Reason, Signal.MaxReasonLength),
            Severity = outcome.Severity,
            TriageState = TriageState.Open,
            Hostname = evt.Hostname,
            GroupKey = groupKey,
            FirstSeen = evt.Timestamp,
            LastSeen = evt.Timestamp,
            EventCount = 1,
            SampleEventJson = hit.Json.ToString(),
            DataDropped = working.HostReportedLosses(evt.Timestamp.AddSeconds(-Math.Max(rule.Options.EvaluationWindowSeconds, 3600)), evt.Timestamp),
        };
        db.Signals.Add(created);
        working.Opened(created);
        Links.Add(Link(created, evt));
        return created;
    }

    private static SignalEvent Link(Signal signal, AgentEvent evt) =>
        new() { OrganizationId = evt.OrganizationId, SignalId = signal.Id, EventId = evt.Id, Timestamp = evt.Timestamp };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>The sample's container and image, read the way the signal's side panel reads them (once per new signal).</summary>
    private static (string? Id, string? Image) Container(JsonElement sample)
    {
        var entities = SignalEntities.From(sample, "");
        return (entities.ContainerId is { Length: > 0 } id ? Truncate(id, Signal.MaxContainerIdLength) : null,
            entities.Image is { Length: > 0 } image ? Truncate(image, Signal.MaxContainerImageLength) : null);
    }
}
