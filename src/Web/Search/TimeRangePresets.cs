using System.Globalization;

namespace Vigil.Web.Search;

/// <summary>A relative range the Api understands (<c>now-15m</c>) with its label.</summary>
public sealed record TimeRangePreset(string Label, string From);

/// <summary>Relative presets and the label of any range, absolute ones included.</summary>
public static class TimeRangePresets
{
    public const string DefaultFrom = "now-24h";

    public static readonly IReadOnlyList<TimeRangePreset> All =
    [
        new("Past 15 minutes", "now-15m"),
        new("Past 1 hour", "now-1h"),
        new("Past 4 hours", "now-4h"),
        new("Past 1 day", "now-24h"),
        new("Past 2 days", "now-2d"),
        new("Past 7 days", "now-7d"),
        new("Past 30 days", "now-30d"),
    ];

    public static string Label(string? from, string? to)
    {
        if (string.IsNullOrEmpty(to) || to == "now")
        {
            var preset = All.FirstOrDefault(p => p.From == (from ?? DefaultFrom));
            if (preset is not null)
                return preset.Label;
        }
        return $"{Display(from ?? DefaultFrom)} → {Display(to ?? "now")}";
    }

    /// <summary>ISO 8601 UTC, as the Api takes absolute times; the browser's datetime-local value is read as UTC.</summary>
    public static string? AsUtc(DateTime? value) =>
        value?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Display(string point) =>
        DateTimeOffset.TryParse(point, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : point;
}
