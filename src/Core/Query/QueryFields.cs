using System.Collections.Immutable;
using Vigil.Core.Query.Syntax;

namespace Vigil.Core.Query;

/// <summary>The fields a query refers to, for callers that validate them, group by them or index them.</summary>
public static class QueryFields
{
    /// <summary>The distinct fields named in the query, in order of first appearance (full-text fields are not included).</summary>
    public static ImmutableArray<QueryField> Of(QueryNode query)
    {
        var fields = new List<QueryField>();
        Collect(query, fields);
        return [.. fields];
    }

    /// <summary>True when the query has a bare word or phrase, which searches the full-text fields.</summary>
    public static bool UsesFullText(QueryNode query) => query switch
    {
        OrNode anyOf => AnyUsesFullText(anyOf.Operands),
        AndNode allOf => AnyUsesFullText(allOf.Operands),
        NotNode not => UsesFullText(not.Operand),
        ValueNode => true,
        _ => false,
    };

    private static bool AnyUsesFullText(ImmutableArray<QueryNode> operands)
    {
        foreach (var operand in operands)
        {
            if (UsesFullText(operand))
            {
                return true;
            }
        }

        return false;
    }

    private static void Collect(QueryNode node, List<QueryField> fields)
    {
        switch (node)
        {
            case OrNode anyOf:
                foreach (var operand in anyOf.Operands)
                {
                    Collect(operand, fields);
                }

                break;
            case AndNode allOf:
                foreach (var operand in allOf.Operands)
                {
                    Collect(operand, fields);
                }

                break;
            case NotNode not:
                Collect(not.Operand, fields);
                break;
            case FieldTermNode term when !fields.Contains(term.Field):
                fields.Add(term.Field);
                break;
        }
    }
}
