using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Contracts;

/// <summary>
/// One JSON value carried as-is inside a bus message: written into the envelope as raw JSON (not as an
/// escaped string, which costs a pass to escape, a pass to unescape and a pass to parse again), and read
/// back as a parsed element the consumer uses directly. Only built from JSON that was already parsed and
/// validated, so writing skips validation.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private JsonElement? _element;

    private RawJson(ReadOnlyMemory<byte> utf8, JsonElement? element)
    {
        _utf8 = utf8;
        _element = element;
    }

    /// <summary>Parses <paramref name="json"/> (tests and callers holding text); throws <see cref="JsonException"/> if it is not JSON.</summary>
    public static RawJson Parse(string json)
    {
        var element = JsonElement.Parse(json);
        return new(JsonMarshal.GetRawUtf8Value(element).ToArray(), element);
    }

    /// <summary>
    /// Wraps a value already parsed from a buffer the caller owns, without copying: <paramref name="utf8"/> is the
    /// value's text in that buffer, <paramref name="element"/> the parsed value. Valid while the buffer and the
    /// element's document are (the consumer's view of a batch body it decoded itself).
    /// </summary>
    public static RawJson Over(ReadOnlyMemory<byte> utf8, JsonElement element) => new(utf8, element);

    internal static RawJson Read(ref Utf8JsonReader reader)
    {
        var element = reader.TokenType == JsonTokenType.String
            ? JsonElement.Parse(reader.GetString()!) // a message published before events were carried raw
            : JsonElement.ParseValue(ref reader);
        return new(JsonMarshal.GetRawUtf8Value(element).ToArray(), element);
    }

    /// <summary>The JSON text as UTF-8 bytes, exactly as received.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>The parsed value (parsed on first use when this instance was built from bytes).</summary>
    public JsonElement Element => _element ??= JsonElement.Parse(_utf8.Span);

    /// <summary>The JSON text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_utf8.Span);
}

/// <summary>Writes <see cref="RawJson"/> as a JSON value of the envelope and reads it back.</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => RawJson.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
