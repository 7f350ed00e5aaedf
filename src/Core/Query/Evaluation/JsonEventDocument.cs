using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Vigil.Core.Query.Evaluation;

/// <summary>
/// An agent event (Datadog agent-event JSON: <c>agent.rule_id</c>, <c>process.executable.path</c>,
/// <c>process.ancestors[].file.name</c>, …) plus its tags.
/// </summary>
/// <remarks>
/// <para><c>@a.b.c</c> walks the JSON objects; an array met on the way is walked element by element, so
/// <c>@process.ancestors.file.name</c> yields the name of every ancestor. A value that is itself an array
/// yields its elements. JSON null yields nothing (the field counts as missing).</para>
/// <para>Tags answer tag fields (<c>team:x</c>); reserved fields (<c>host</c>, <c>env</c>, …) come from
/// the tags when present there, otherwise from the top-level JSON property of the same name.</para>
/// <para>Strings are decoded into a stack buffer (pooled beyond 512 bytes), so visiting allocates nothing
/// unless the JSON string contains escapes.</para>
/// </remarks>
public sealed class JsonEventDocument(JsonElement root, QueryTags? tags = null) : IQueryDocument
{
    private const int StackLimit = 512;

    private readonly QueryTags _tags = tags ?? QueryTags.Empty;

    public JsonElement Root { get; } = root;

    public bool VisitValues(QueryField field, IQueryValueVisitor visitor)
    {
        switch (field.Kind)
        {
            case QueryFieldKind.Tag:
                return _tags.Visit(field.Name, visitor);
            case QueryFieldKind.Reserved when _tags.Contains(field.Name):
                return _tags.Visit(field.Name, visitor);
            default:
                return Walk(Root, field.Utf8Path, 0, visitor);
        }
    }

    private static bool Walk(JsonElement element, byte[][] path, int index, IQueryValueVisitor visitor)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, path, index, visitor))
                    {
                        return true;
                    }
                }

                return false;
            case var _ when index == path.Length:
                return Emit(element, visitor);
            case JsonValueKind.Object:
                return element.TryGetProperty(path[index], out var child) && Walk(child, path, index + 1, visitor);
            default:
                return false;
        }
    }

    private static bool Emit(JsonElement element, IQueryValueVisitor visitor) => element.ValueKind switch
    {
        JsonValueKind.String => EmitText(element, visitor, isNumber: false),
        JsonValueKind.Number => EmitText(element, visitor, isNumber: true),
        JsonValueKind.True => visitor.Visit(QueryValue.FromBoolean(true)),
        JsonValueKind.False => visitor.Visit(QueryValue.FromBoolean(false)),
        JsonValueKind.Object => visitor.Visit(QueryValue.FromComposite()),
        _ => false,
    };

    private static bool EmitText(JsonElement element, IQueryValueVisitor visitor, bool isNumber)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (!isNumber)
        {
            if (raw.Length >= 2 && raw[0] == (byte)'"')
            {
                raw = raw[1..^1];
            }

            if (raw.Contains((byte)'\\'))
            {
                return visitor.Visit(QueryValue.FromString(element.GetString()));
            }
        }

        char[]? rented = null;
        var buffer = raw.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            var text = buffer[..Encoding.UTF8.GetChars(raw, buffer)];
            if (!isNumber)
            {
                return visitor.Visit(QueryValue.FromString(text));
            }

            return element.TryGetDouble(out var number)
                ? visitor.Visit(QueryValue.FromNumber(number, text))
                : visitor.Visit(QueryValue.FromString(text));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
