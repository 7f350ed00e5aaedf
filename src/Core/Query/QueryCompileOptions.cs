using System.Collections.Immutable;

namespace Vigil.Core.Query;

/// <summary>How a parsed query is bound to documents.</summary>
public sealed record QueryCompileOptions
{
    public static QueryCompileOptions Default { get; } = new();

    /// <summary>The fields that bare words and quoted phrases search (full-text search). Default: title and message.</summary>
    public ImmutableArray<QueryField> FullTextFields { get; init; } = [QueryField.Attribute("title"), QueryField.Attribute("message")];
}
