using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;
using NpgsqlTypes;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Detection;

/// <summary>
/// Writes a batch's changed detection states and updated open signals with one <c>UPDATE … FROM unnest(…)</c> per
/// table on PostgreSQL. EF sends one UPDATE per row (about 40 per batch), each parsed and planned apart, which
/// cost PostgreSQL more than the batch's events. The version checks stay: a row whose version moved since it was
/// loaded is not updated, and the whole batch fails and is retried, as with EF. Rows with any other column
/// changed, and every row on SQLite, are left to SaveChanges.
/// </summary>
public static class DetectionRowUpdates
{
    private static readonly HashSet<string> StateColumns =
        [nameof(DetectionState.StateJson), nameof(DetectionState.Version), nameof(DetectionState.UpdatedAt)];
    private static readonly HashSet<string> SignalColumns =
        [nameof(Signal.EventCount), nameof(Signal.LastSeen), nameof(Signal.Severity), nameof(Signal.Reason)];

    public static async Task WriteAsync(VigilDbContext db, Guid organizationId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
            return;
        var states = Modified<DetectionState>(db, StateColumns);
        var signals = Modified<Signal>(db, SignalColumns);
        if (states.Count == 0 && signals.Count == 0)
            return;
        // Normally inside the batch's transaction (its connection open); opened here otherwise, as EF would.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            if (states.Count > 0)
                await UpdateStatesAsync(connection, organizationId, states, ct);
            if (signals.Count > 0)
                await UpdateSignalsAsync(connection, organizationId, signals, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        // Written: SaveChanges must not write them again.
        foreach (var entry in states)
            entry.State = EntityState.Unchanged;
        foreach (var entry in signals)
            entry.State = EntityState.Unchanged;
    }

    /// <summary>Tracked rows that are modified in the given columns only.</summary>
    private static List<EntityEntry<T>> Modified<T>(VigilDbContext db, HashSet<string> columns) where T : class =>
        [.. db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Modified
            && e.Properties.All(p => !p.IsModified || columns.Contains(p.Metadata.Name)))];

    private static async Task UpdateStatesAsync(NpgsqlConnection connection, Guid org, List<EntityEntry<DetectionState>> rows, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE detection_states AS t
            SET "StateJson" = u.state, "Version" = u.version, "UpdatedAt" = u.updated
            FROM unnest(@rules, @groups, @expected, @versions, @states, @updated) AS u(rule, grp, expected, version, state, updated)
            WHERE t."OrganizationId" = @org AND t."RuleId" = u.rule AND t."GroupKey" = u.grp AND t."Version" = u.expected
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("org", NpgsqlDbType.Uuid) { TypedValue = org });
        Add(command, "rules", NpgsqlDbType.Uuid, rows, e => e.Entity.RuleId);
        Add(command, "groups", NpgsqlDbType.Text, rows, e => e.Entity.GroupKey);
        Add(command, "expected", NpgsqlDbType.Integer, rows, e => e.Property(s => s.Version).OriginalValue);
        Add(command, "versions", NpgsqlDbType.Integer, rows, e => e.Entity.Version);
        Add(command, "states", NpgsqlDbType.Text, rows, e => e.Entity.StateJson);
        Add(command, "updated", NpgsqlDbType.TimestampTz, rows, e => e.Entity.UpdatedAt);
        Check(await command.ExecuteNonQueryAsync(ct), rows.Count, "detection state");
    }

    private static async Task UpdateSignalsAsync(NpgsqlConnection connection, Guid org, List<EntityEntry<Signal>> rows, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE signals AS t
            SET "EventCount" = u.count, "LastSeen" = u.last_seen, "Severity" = u.severity, "Reason" = u.reason
            FROM unnest(@ids, @expected, @counts, @lastSeen, @severities, @reasons) AS u(id, expected, count, last_seen, severity, reason)
            WHERE t."OrganizationId" = @org AND t."Id" = u.id AND t."Version" = u.expected
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("org", NpgsqlDbType.Uuid) { TypedValue = org });
        Add(command, "ids", NpgsqlDbType.Uuid, rows, e => e.Entity.Id);
        Add(command, "expected", NpgsqlDbType.Integer, rows, e => e.Property(s => s.Version).OriginalValue);
        Add(command, "counts", NpgsqlDbType.Integer, rows, e => e.Entity.EventCount);
        Add(command, "lastSeen", NpgsqlDbType.TimestampTz, rows, e => e.Entity.LastSeen);
        // The column holds the enum's name (HasConversion<string>).
        Add(command, "severities", NpgsqlDbType.Text, rows, e => e.Entity.Severity.ToString());
        Add(command, "reasons", NpgsqlDbType.Text, rows, e => e.Entity.Reason);
        Check(await command.ExecuteNonQueryAsync(ct), rows.Count, "signal");
    }

    private static void Add<TEntity, TValue>(NpgsqlCommand command, string name, NpgsqlDbType type,
        List<EntityEntry<TEntity>> rows, Func<EntityEntry<TEntity>, TValue> value) where TEntity : class =>
        command.Parameters.Add(new NpgsqlParameter<TValue[]>(name, NpgsqlDbType.Array | type) { TypedValue = [.. rows.Select(value)] });

    /// <summary>A row changed by someone else since it was loaded is not updated: fail the batch (it is retried).</summary>
    private static void Check(int updated, int expected, string what)
    {
        if (updated != expected)
            throw new DbUpdateConcurrencyException(
                $"{expected - updated} of {expected} {what} rows changed since this batch loaded them; the batch is retried.");
    }
}
