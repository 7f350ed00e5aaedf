namespace Vigil.Agent.Protection;

/// <summary>The guard's answer for one action.</summary>
public enum GuardVerdict { Allowed, RateLimited, Disarmed }

/// <summary>
/// Per-rule brakes: a token bucket (actions per second) and Datadog's executable disarmer — when a rule acts on
/// more distinct executables than allowed within the period, it is probably matching something legitimate at
/// scale, so it stops acting (the rule still reports) until the period has passed. Thread-safe.
/// </summary>
public sealed class RuleActionGuard(ProtectionOptions options, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<string, RuleState> _rules = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Raised (outside the lock) when a rule trips or re-arms: (rule id, disarmed).</summary>
    public event Action<string, bool>? ArmingChanged;

    /// <summary>Rules disarmed now.</summary>
    public IReadOnlyList<string> DisarmedRules()
    {
        var now = _clock.GetTimestamp();
        lock (_lock) return [.. _rules.Where(r => r.Value.DisarmedUntil > now).Select(r => r.Key)];
    }

    /// <summary>How many times each rule tripped its disarmer.</summary>
    public int Trips(string ruleId)
    {
        lock (_lock) return _rules.TryGetValue(ruleId, out var state) ? state.Trips : 0;
    }

    /// <summary>Asks before acting; counts the executable and the token when allowed.</summary>
    public GuardVerdict Check(string ruleId, string executable) => Account(ruleId, executable, alreadyActed: false);

    /// <summary>Counts an action the kernel already took (eBPF kill); may disarm the rule for the next ones.</summary>
    public GuardVerdict Record(string ruleId, string executable) => Account(ruleId, executable, alreadyActed: true);

    private GuardVerdict Account(string ruleId, string executable, bool alreadyActed)
    {
        var now = _clock.GetTimestamp();
        var frequency = _clock.TimestampFrequency;
        var period = (long)(options.DisarmerPeriod.TotalSeconds * frequency);
        GuardVerdict verdict;
        bool? changed = null;
        lock (_lock)
        {
            if (!_rules.TryGetValue(ruleId, out var state)) _rules[ruleId] = state = new RuleState(options.MaxActionsPerSecond, now);
            if (state.DisarmedUntil != 0 && state.DisarmedUntil <= now)
            {
                state.DisarmedUntil = 0;
                state.Executables.Clear();
                changed = false;
            }
            if (state.DisarmedUntil > now) return GuardVerdict.Disarmed;
            // Distinct executables seen in the window (older ones drop out).
            foreach (var old in state.Executables.Where(e => now - e.Value > period).Select(e => e.Key).ToList()) state.Executables.Remove(old);
            state.Executables[executable] = now;
            if (state.Executables.Count > options.DisarmerMaxExecutables)
            {
                state.DisarmedUntil = now + period;
                state.Trips++;
                changed = true;
                verdict = alreadyActed ? GuardVerdict.Allowed : GuardVerdict.Disarmed;
            }
            else
            {
                state.Tokens = Math.Min(options.MaxActionsPerSecond, state.Tokens + (now - state.Refilled) * (double)options.MaxActionsPerSecond / frequency);
                state.Refilled = now;
                if (state.Tokens >= 1 || alreadyActed)
                {
                    state.Tokens = Math.Max(0, state.Tokens - 1);
                    verdict = GuardVerdict.Allowed;
                }
                else verdict = GuardVerdict.RateLimited;
            }
        }
        if (changed is { } disarmed) ArmingChanged?.Invoke(ruleId, disarmed);
        return verdict;
    }

    private sealed class RuleState(double tokens, long now)
    {
        public double Tokens = tokens;
        public long Refilled = now;
        public long DisarmedUntil;
        public int Trips;
        public readonly Dictionary<string, long> Executables = new(StringComparer.Ordinal);
    }
}
