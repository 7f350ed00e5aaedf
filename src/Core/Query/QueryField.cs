using System.Collections.Immutable;
using System.Text;

namespace Vigil.Core.Query;

/// <summary>How a field name in a query is resolved against a document.</summary>
public enum QueryFieldKind
{
    /// <summary><c>@dotted.path</c>: an attribute of the event or signal JSON.</summary>
    Attribute,
    /// <summary>A reserved attribute written without '@': host, service, source, env, status, rule.</summary>
    Reserved,
    /// <summary>Any other <c>key:value</c>: a tag.</summary>
    Tag,
}

/// <summary>
/// A field a query refers to: <c>@process.file.name</c> (attribute), <c>host</c> (reserved) or
/// <c>team</c> (tag). Reserved and tag names are compared case-insensitively (stored lower case);
/// attribute paths are case-sensitive, like the JSON they point into.
/// </summary>
public sealed class QueryField : IEquatable<QueryField>
{
    /// <summary>The reserved attributes, written without '@'.</summary>
    public static readonly ImmutableArray<string> ReservedNames = ["host", "service", "source", "env", "status", "rule"];

    private QueryField(QueryFieldKind kind, string name)
    {
        Kind = kind;
        Name = name;
        Path = kind == QueryFieldKind.Attribute ? [.. name.Split('.')] : [name];
        var utf8 = new byte[Path.Length][];
        for (var i = 0; i < utf8.Length; i++)
        {
            // The default UTF-8 encoding replaces a lone surrogate instead of throwing.
            utf8[i] = Encoding.UTF8.GetBytes(Path[i]);
        }

        Utf8Path = utf8;
    }

    public QueryFieldKind Kind { get; }

    /// <summary>The name without '@': <c>process.file.name</c>, <c>host</c>, <c>team</c>.</summary>
    public string Name { get; }

    /// <summary>The dotted path split into segments (one segment for reserved attributes and tags).</summary>
    public ImmutableArray<string> Path { get; }

    /// <summary>The path segments in UTF-8, for allocation-free lookups in JSON.</summary>
    internal byte[][] Utf8Path { get; }

    public static QueryField Attribute(string path) => new(QueryFieldKind.Attribute, path);

    public static QueryField Tag(string key) => IsReserved(key)
        ? new QueryField(QueryFieldKind.Reserved, key.ToLowerInvariant())
        : new QueryField(QueryFieldKind.Tag, key.ToLowerInvariant());

    /// <summary>Reads a field as written in a query or a group-by: <c>@a.b</c>, <c>host</c>, <c>team</c>.</summary>
    public static QueryField Parse(string name) =>
        name.StartsWith('@') ? Attribute(name[1..]) : Tag(name);

    public static bool IsReserved(string name)
    {
        foreach (var reserved in ReservedNames)
        {
            if (string.Equals(reserved, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(QueryField? other) =>
        other is not null && other.Kind == Kind && string.Equals(other.Name, Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is QueryField other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Name));

    /// <summary>The field as written in a query: <c>@a.b</c> for attributes, the bare name otherwise.</summary>
    public override string ToString() => Kind == QueryFieldKind.Attribute ? "@" + Name : Name;
}
