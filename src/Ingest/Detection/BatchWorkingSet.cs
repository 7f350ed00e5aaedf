using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Detection;
using Vigil.Core.Domain;
using Vigil.Core.Events;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Detection;

/// <summary>
/// The detection states and open signals one batch can touch, loaded with one query each before the batch is
/// evaluated, and kept in dictionaries while it is: a round trip per (rule, group) and EF's change scan per
/// event (<c>DbSet.Local</c>) were the two largest costs of a batch.
/// </summary>
internal sealed class BatchWorkingSet(VigilDbContext db)
{
    private readonly Dictionary<(Guid Rule, string Group), (DetectionState Row, RuleGroupState State)> _states = [];
    private readonly Dictionary<(string Rule, string Group), List<Signal>> _signals = [];
    private List<DateTime> _lossReports = [];

    /// <summary>Loads everything the pending (rule, group) hits of a batch need, in three queries.</summary>
    public async Task LoadAsync(IReadOnlyCollection<(CompiledDetectionRule Rule, string Group, DateTime Timestamp)> hits, string hostname, CancellationToken ct)
    {
        if (hits.Count == 0)
            return;
        var ruleIds = hits.Select(h => h.Rule.Id).Distinct().ToList();
        var groups = hits.Select(h => h.Group).Distinct().ToList();
        var wanted = hits.Select(h => (h.Rule.Id, h.Group)).ToHashSet();
        // The filter is a superset (rule in R and group in G); the exact pairs are kept below.
        foreach (var row in await db.DetectionStates.Where(s => ruleIds.Contains(s.RuleId) && groups.Contains(s.GroupKey)).ToListAsync(ct))
        {
            if (wanted.Contains((row.RuleId, row.GroupKey)))
                _states[(row.RuleId, row.GroupKey)] = (row, JsonSerializer.Deserialize<RuleGroupState>(row.StateJson) ?? new RuleGroupState());
        }

        var ruleTexts = ruleIds.Select(r => r.ToString()).ToList();
        var earliest = hits.Min(h => h.Timestamp);
        var keepAliveFrom = earliest.AddSeconds(-hits.Max(h => h.Rule.Options.KeepAliveSeconds));
        var durationFrom = earliest.AddSeconds(-hits.Max(h => h.Rule.Options.MaxSignalDurationSeconds));
        var open = await db.Signals
            .Where(s => ruleTexts.Contains(s.RuleId) && groups.Contains(s.GroupKey) && s.TriageState != TriageState.Archived
                && s.LastSeen >= keepAliveFrom && s.FirstSeen >= durationFrom)
            .ToListAsync(ct);
        foreach (var signal in open)
            SignalsOf(signal.RuleId, signal.GroupKey).Add(signal);

        var lossesFrom = earliest.AddSeconds(-hits.Max(h => Math.Max(h.Rule.Options.EvaluationWindowSeconds, 3600)));
        var latest = hits.Max(h => h.Timestamp);
        _lossReports = await db.AgentEvents
            .Where(e => e.RuleId == InternalRuleIds.LostEvents && e.Hostname == hostname && e.Timestamp >= lossesFrom && e.Timestamp <= latest)
            .Select(e => e.Timestamp).ToListAsync(ct);
    }

    /// <summary>The group's state, created (and tracked for insert) when the group is new.</summary>
    public (DetectionState Row, RuleGroupState State) State(Guid ruleId, string groupKey)
    {
        if (_states.TryGetValue((ruleId, groupKey), out var known))
            return known;
        var row = new DetectionState { RuleId = ruleId, GroupKey = groupKey, StateJson = "{}" };
        db.DetectionStates.Add(row);
        return _states[(ruleId, groupKey)] = (row, new RuleGroupState());
    }

    /// <summary>The latest signal of the rule and group that is still open and within keep-alive and maximum duration.</summary>
    public Signal? OpenSignal(string ruleId, string groupKey, DateTime keepAliveFrom, DateTime durationFrom)
    {
        if (!_signals.TryGetValue((ruleId, groupKey), out var candidates))
            return null;
        Signal? best = null;
        foreach (var s in candidates)
        {
            if (s.TriageState != TriageState.Archived && s.LastSeen >= keepAliveFrom && s.FirstSeen >= durationFrom
                && (best is null || s.LastSeen > best.LastSeen))
                best = s;
        }
        return best;
    }

    public void Opened(Signal signal) => SignalsOf(signal.RuleId, signal.GroupKey).Add(signal);

    /// <summary>Whether the batch's host reported lost events between the two times (this batch's reports included: they are stored first).</summary>
    public bool HostReportedLosses(DateTime since, DateTime until) => _lossReports.Exists(t => t >= since && t <= until);

    /// <summary>Writes every touched state back (serialized, version bumped: the optimistic-concurrency check).</summary>
    public void SaveStates()
    {
        foreach (var (row, state) in _states.Values)
        {
            row.StateJson = JsonSerializer.Serialize(state);
            row.Version++;
        }
    }

    private List<Signal> SignalsOf(string ruleId, string groupKey)
    {
        if (!_signals.TryGetValue((ruleId, groupKey), out var list))
            _signals[(ruleId, groupKey)] = list = [];
        return list;
    }
}
