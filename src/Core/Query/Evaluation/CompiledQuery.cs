using System.Collections.Immutable;
using Vigil.Core.Query.Syntax;

namespace Vigil.Core.Query.Evaluation;

/// <summary>
/// A query compiled once and matched many times. Thread-safe; matching a document allocates nothing
/// for the documents in this namespace (unless a JSON string holds escape sequences).
/// </summary>
public sealed class CompiledQuery
{
    private readonly Matcher _root;

    internal CompiledQuery(QueryNode syntax, Matcher root, ImmutableArray<QueryField> fields, bool usesFullText)
    {
        Syntax = syntax;
        _root = root;
        Fields = fields;
        UsesFullText = usesFullText;
    }

    public QueryNode Syntax { get; }

    /// <summary>The distinct fields the query names, in order of first appearance.</summary>
    public ImmutableArray<QueryField> Fields { get; }

    /// <summary>True when a bare word or phrase searches the full-text fields.</summary>
    public bool UsesFullText { get; }

    public bool Matches(IQueryDocument document) => _root.Matches(document);

    public override string ToString() => QuerySyntaxPrinter.Print(Syntax);
}
