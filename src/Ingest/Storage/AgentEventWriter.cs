using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Ingest.Storage;

/// <summary>
/// Writes agent events inside the caller's transaction: PostgreSQL binary COPY in production (one round
/// trip per batch, the received UTF-8 bytes as they are), plain EF inserts on SQLite (embedded mode, one host's
/// volume; only there is each event's JSON turned into text).
/// </summary>
public static class AgentEventWriter
{
    /// <param name="json">The UTF-8 JSON of each event, in the order of <paramref name="events"/>: PostgreSQL gets these
    /// bytes as they arrived instead of re-encoding each event's text.</param>
    public static async Task WriteAsync(VigilDbContext db, IReadOnlyList<AgentEvent> events, IReadOnlyList<ReadOnlyMemory<byte>> json, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            for (var i = 0; i < events.Count; i++)
                events[i].Json = Encoding.UTF8.GetString(json[i].Span);
            db.AgentEvents.AddRange(events);
            await db.SaveChangesAsync(ct);
            return;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(
            """
            COPY agent_events ("Id", "OrganizationId", "BatchId", "Hostname", "RuleId", "EventType", "Title", "Timestamp", "ReceivedAt", "Json")
            FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(e.OrganizationId, NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(e.BatchId, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(e.Hostname, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(e.RuleId, NpgsqlDbType.Varchar, ct);
            if (e.EventType is null) await importer.WriteNullAsync(ct);
            else await importer.WriteAsync(e.EventType, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(e.Title, NpgsqlDbType.Varchar, ct);
            await importer.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, ct);
            await importer.WriteAsync(e.ReceivedAt, NpgsqlDbType.TimestampTz, ct);
            await importer.WriteAsync(json[i], NpgsqlDbType.Jsonb, ct);
        }
        await importer.CompleteAsync(ct);
    }
}
