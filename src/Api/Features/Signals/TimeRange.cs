using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// A search time range from <c>from</c>/<c>to</c> parameters: ISO 8601 timestamps or Datadog-style relative
/// times (<c>now</c>, <c>now-15m</c>, <c>now-2h</c>, <c>now-7d</c>). Defaults: the last 24 hours.
/// </summary>
public static partial class TimeRange
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);
    public static readonly TimeSpan Longest = TimeSpan.FromDays(400);

    public static bool TryParse(string? from, string? to, DateTime now, out DateTime start, out DateTime end, out string? error)
    {
        error = null;
        start = end = now;
        if (!TryParsePoint(to, now, now, out end))
            error = "to must be an ISO 8601 time or now-<n><s|m|h|d>.";
        else if (!TryParsePoint(from, now, end - Default, out start))
            error = "from must be an ISO 8601 time or now-<n><s|m|h|d>.";
        else if (start >= end)
            error = "from must be before to.";
        else if (end - start > Longest)
            error = $"the range may span at most {Longest.TotalDays:0} days.";
        return error is null;
    }

    private static bool TryParsePoint(string? text, DateTime now, DateTime fallback, out DateTime value)
    {
        value = fallback;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (text == "now")
        {
            value = now;
            return true;
        }
        if (Relative().Match(text) is { Success: true } m)
        {
            var amount = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value = now - m.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed.UtcDateTime;
            return true;
        }
        return false;
    }

    [GeneratedRegex(@"^now-(\d{1,5})([smhd])$")]
    private static partial Regex Relative();
}
