using System.Globalization;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// "ticks:guid" — where a newest-first listing (signals by first seen, events by time) stopped; opaque to
/// clients. Time then id orders rows that share a timestamp.
/// </summary>
public readonly record struct KeysetCursor(DateTime At, Guid Id)
{
    public string Text => string.Create(CultureInfo.InvariantCulture, $"{At.Ticks}:{Id:N}");

    public static bool TryParse(string text, out KeysetCursor cursor)
    {
        cursor = default;
        var parts = text.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) ||
            ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || !Guid.TryParseExact(parts[1], "N", out var id))
            return false;
        cursor = new KeysetCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
