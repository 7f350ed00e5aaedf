using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Storage;

/// <summary>
/// Writes a batch's signal/event links inside the caller's transaction, after the signals they name are saved:
/// one binary COPY on PostgreSQL (a batch that opens signals links up to 100 events to each, and one tracked
/// entity and one INSERT per link cost more than the rest of the batch's detection), EF inserts on SQLite.
/// </summary>
public static class SignalEventWriter
{
    public static async Task WriteAsync(VigilDbContext db, IReadOnlyList<SignalEvent> links, CancellationToken ct)
    {
        if (links.Count == 0)
            return;
        if (!db.Database.IsNpgsql())
        {
            db.SignalEvents.AddRange(links);
            await db.SaveChangesAsync(ct);
            return;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(
            """COPY signal_events ("OrganizationId", "SignalId", "EventId", "Timestamp") FROM STDIN (FORMAT BINARY)""", ct);
        foreach (var link in links)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(link.OrganizationId, NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(link.SignalId, NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(link.EventId, NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(link.Timestamp, NpgsqlDbType.TimestampTz, ct);
        }
        await importer.CompleteAsync(ct);
    }
}
