using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Vigil.Core.Contracts;
using Vigil.Ingest.Intake;

namespace Vigil.Ingest.Storage;

/// <summary>
/// The consumer's view of an accepted batch with every event's JSON at hand. A message that carries the posted body
/// is decoded once into a pooled buffer and parsed once into one document; each event's JSON is then a slice of
/// that buffer and an element of that document (no copy per event). Dispose once the batch is stored.
/// </summary>
public sealed class ReceivedBatch : IDisposable
{
    private readonly PooledBuffer? _buffer;
    private readonly JsonDocument? _document;

    private ReceivedBatch(EventBatchAccepted message, PooledBuffer? buffer, JsonDocument? document)
    {
        Message = message;
        _buffer = buffer;
        _document = document;
    }

    /// <summary>The message, with <see cref="AcceptedEvent.Json"/> set on every event.</summary>
    public EventBatchAccepted Message { get; }

    public static async Task<ReceivedBatch> OpenAsync(EventBatchAccepted message, CancellationToken ct)
    {
        if (message.Body is not { } body)
            return new ReceivedBatch(message, null, null); // published before bodies travelled: each event carries its JSON

        // An uncompressed body is parsed where it is (the message's own array); a compressed one is decoded first.
        var buffer = body.ContentEncoding is null ? null : new PooledBuffer(body.DecodedLength);
        JsonDocument? document = null;
        try
        {
            if (buffer is not null && !await BatchBodyReader.Decompress(body.ContentEncoding!, body.Content, buffer, body.DecodedLength, ct))
                throw new InvalidDataException($"Batch {message.BatchId}: the body decodes to more than the {body.DecodedLength} bytes announced.");
            var json = buffer?.Memory ?? body.Content;
            if (json.Length != body.DecodedLength)
                throw new InvalidDataException($"Batch {message.BatchId}: the body is {json.Length} bytes once decoded, not {body.DecodedLength}.");

            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            var elements = document.RootElement.GetProperty("events");
            if (elements.GetArrayLength() != message.Events.Count)
                throw new InvalidDataException($"Batch {message.BatchId}: the body holds {elements.GetArrayLength()} events, the message {message.Events.Count}.");

            var events = new AcceptedEvent[message.Events.Count];
            var i = 0;
            foreach (var element in elements.EnumerateArray())
            {
                events[i] = message.Events[i] with { Json = RawJson.Over(Slice(json, element), element) };
                i++;
            }
            return new ReceivedBatch(message with { Events = events }, buffer, document);
        }
        catch
        {
            document?.Dispose();
            buffer?.Dispose();
            throw;
        }
    }

    /// <summary>The text of <paramref name="element"/> as a slice of <paramref name="json"/>, the buffer its document was parsed from.</summary>
    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> json, JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var offset = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(json.Span), ref MemoryMarshal.GetReference(raw));
        return json.Slice(offset, raw.Length);
    }

    public void Dispose()
    {
        _document?.Dispose();
        _buffer?.Dispose();
    }
}
