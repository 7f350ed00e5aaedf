namespace Vigil.Core.Domain;

/// <summary>Stored times are UTC <see cref="DateTime"/>s (SQLite forgets the kind); the API speaks offsets.</summary>
public static class UtcTime
{
    public static DateTimeOffset ToUtcOffset(this DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
