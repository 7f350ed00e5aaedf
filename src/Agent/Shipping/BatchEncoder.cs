using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Agent.Shipping;

/// <summary>A batch ready for the spool: its gzip'd request body and how many producer events it carries.</summary>
public sealed record EncodedBatch(string BatchId, int EventCount, int ShippedEvents, long ReportedLoss, byte[] Body);

/// <summary>
/// Turns events into Ingest request bodies (<c>{"batch_id","hostname","agent_version","events"}</c>, gzip'd),
/// split so no batch passes the byte limit, and marks the first batch after a loss: each of its events gets
/// <c>"vigil": {"data_dropped": true}</c> and a <c>lost_events</c> event with the count is added.
/// </summary>
internal sealed class BatchEncoder(AgentSettings settings, int maxBatchBytes)
{
    private long _unreportedLoss;

    /// <summary>Events lost since the last batch that reported a loss reached the spool.</summary>
    public long UnreportedLoss => Interlocked.Read(ref _unreportedLoss);

    public void RecordLoss(long events) => Interlocked.Add(ref _unreportedLoss, events);

    /// <summary>The batch carrying this report is in the spool: the loss is reported.</summary>
    public void LossReported(long events) => Interlocked.Add(ref _unreportedLoss, -events);

    /// <summary>Lazily, so the loss flag of each batch reflects what the spool accepted before it.</summary>
    public IEnumerable<EncodedBatch> Encode(IReadOnlyList<JsonObject> events)
    {
        var serialized = new List<byte[]>(events.Count);
        var bytes = 0L;
        var loss = UnreportedLoss; // taken once per batch: its events are flagged exactly when it reports a loss
        foreach (var evt in events)
        {
            var json = Serialize(evt, loss);
            if (serialized.Count > 0 && bytes + json.Length > maxBatchBytes)
            {
                yield return Build(serialized, loss);
                serialized.Clear();
                bytes = 0;
                loss = UnreportedLoss;
                json = Serialize(evt, loss);
            }
            serialized.Add(json);
            bytes += json.Length;
        }
        if (serialized.Count > 0)
            yield return Build(serialized, loss);
    }

    private static byte[] Serialize(JsonObject evt, long loss)
    {
        if (loss > 0 && evt["vigil"] is JsonObject extension)
            extension["data_dropped"] = true;
        else if (loss > 0)
            evt["vigil"] = new JsonObject { ["data_dropped"] = true };
        else if (evt["vigil"] is JsonObject vigil)
            vigil.Remove("data_dropped"); // flagged for an earlier split whose batch has since reported the loss
        return JsonSerializer.SerializeToUtf8Bytes(evt);
    }

    private EncodedBatch Build(List<byte[]> events, long loss)
    {
        var all = loss > 0
            ? [.. events, JsonSerializer.SerializeToUtf8Bytes(AgentEventFactory.LostEvents(DateTimeOffset.UtcNow, loss))]
            : events;
        var batchId = Guid.CreateVersion7().ToString("N");
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("batch_id", batchId);
            writer.WriteString("hostname", settings.Hostname);
            writer.WriteString("agent_version", AgentSettings.Version);
            writer.WriteStartArray("events");
            foreach (var evt in all)
                writer.WriteRawValue(evt, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new EncodedBatch(batchId, all.Count, events.Count, loss, IntakeClient.Gzip(buffer.WrittenSpan));
    }
}
