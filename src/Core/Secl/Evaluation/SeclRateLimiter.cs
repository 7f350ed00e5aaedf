using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>
/// Per-rule token buckets as the Datadog agent applies them after a match (reference §3.3): by default
/// a burst of 40 with one token back every 100 ms; <c>every: d</c> allows one event per <c>d</c>; with
/// <c>limiter_token</c> each distinct tuple of those field values has its own bucket (at most 500 per rule).
/// Not thread-safe, like <see cref="SeclRuleSet"/>.
/// </summary>
public sealed class SeclRateLimiter
{
    public const int DefaultBurst = 40;
    public const int MaxTokensPerRule = 500;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private sealed class Bucket(double tokens, long updatedAt)
    {
        public double Tokens { get; set; } = tokens;
        public long UpdatedAt { get; set; } = updatedAt;
    }

    private readonly Dictionary<(string Rule, string Key), Bucket> _buckets = [];
    private readonly Dictionary<string, int> _keysPerRule = new(StringComparer.Ordinal);

    /// <summary>Events let through and dropped, per rule id (the agent's allowed/dropped counters).</summary>
    public Dictionary<string, (long Allowed, long Dropped)> Counters { get; } = new(StringComparer.Ordinal);

    /// <summary>Takes a token for a match of <paramref name="rule"/> on <paramref name="evt"/> at <paramref name="nowNanoseconds"/>.</summary>
    public bool Allow(SeclRule rule, SeclEvent evt, long nowNanoseconds)
    {
        var (burst, interval) = rule.Every is { } every ? (1, every) : (DefaultBurst, DefaultInterval);
        var allowed = interval <= TimeSpan.Zero || Take(rule, Key(rule, evt), burst, interval.Ticks * 100, nowNanoseconds);
        var (a, d) = Counters.GetValueOrDefault(rule.Id);
        Counters[rule.Id] = allowed ? (a + 1, d) : (a, d + 1);
        return allowed;
    }

    private bool Take(SeclRule rule, string key, int burst, long intervalNanoseconds, long now)
    {
        if (!_buckets.TryGetValue((rule.Id, key), out var bucket))
        {
            var count = _keysPerRule.GetValueOrDefault(rule.Id);
            if (count >= MaxTokensPerRule) return false; // too many distinct tokens: drop rather than grow without bound
            _keysPerRule[rule.Id] = count + 1;
            _buckets[(rule.Id, key)] = bucket = new Bucket(burst, now);
        }
        // Refill one token per interval (Go's rate.NewLimiter(rate.Every(interval), burst)).
        var refill = (now - bucket.UpdatedAt) / (double)intervalNanoseconds;
        bucket.Tokens = Math.Min(burst, bucket.Tokens + Math.Max(0, refill));
        bucket.UpdatedAt = now;
        if (bucket.Tokens < 1) return false;
        bucket.Tokens -= 1;
        return true;
    }

    private static string Key(SeclRule rule, SeclEvent evt)
    {
        if (rule.LimiterTokens.Count == 0) return "";
        var parts = new List<string>(rule.LimiterTokens.Count);
        foreach (var name in rule.LimiterTokens)
        {
            if (!evt.Catalog.TryGetField(name, out var field)) { parts.Add(""); continue; }
            if (field.Type == SeclValueType.String)
            {
                FieldAccess.GetStrings(evt, evt, field, out var text, out var texts);
                parts.Add(text ?? string.Join(',', texts ?? []));
            }
            else
            {
                FieldAccess.GetInts(evt, evt, field, out var number, out _);
                parts.Add(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return string.Join('\u001f', parts);
    }
}
