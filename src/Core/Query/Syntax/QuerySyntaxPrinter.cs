using System.Globalization;
using System.Text;

namespace Vigil.Core.Query.Syntax;

/// <summary>
/// Prints a syntax tree in a canonical, fully bracketed form, for tests and debugging:
/// <c>(OR (AND a b) (NOT host:web-*))</c>, <c>@process.pid:&gt;1000</c>, <c>@x:[1 TO 5}</c>,
/// <c>@agent.rule_id:(OR a b)</c>, <c>text:"a phrase"</c> for full text, <c>ALL</c> for match-all.
/// Reserved attributes print as <c>host</c>, tags as <c>#team</c>.
/// </summary>
public static class QuerySyntaxPrinter
{
    public static string Print(QueryNode node)
    {
        var builder = new StringBuilder();
        Write(builder, node, inField: false);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, QueryNode node, bool inField)
    {
        switch (node)
        {
            case OrNode anyOf:
                WriteList(builder, "OR", anyOf.Operands, inField);
                break;
            case AndNode allOf:
                WriteList(builder, "AND", allOf.Operands, inField);
                break;
            case NotNode not:
                builder.Append("(NOT ");
                Write(builder, not.Operand, inField);
                builder.Append(')');
                break;
            case MatchAllNode:
                builder.Append("ALL");
                break;
            case FieldTermNode term:
                builder.Append(term.Field.Kind switch
                {
                    QueryFieldKind.Attribute => "@",
                    QueryFieldKind.Tag => "#",
                    _ => "",
                });
                builder.Append(term.Field.Name).Append(':');
                Write(builder, term.Value, inField: true);
                break;
            case ValueNode value:
                if (!inField)
                {
                    builder.Append("text:");
                }

                WriteValue(builder, value);
                break;
        }
    }

    private static void WriteList(StringBuilder builder, string name, IEnumerable<QueryNode> operands, bool inField)
    {
        builder.Append('(').Append(name);
        foreach (var operand in operands)
        {
            builder.Append(' ');
            Write(builder, operand, inField);
        }

        builder.Append(')');
    }

    private static void WriteValue(StringBuilder builder, ValueNode? value)
    {
        switch (value)
        {
            case null:
                builder.Append('*');
                break;
            case WordValue word:
                builder.Append(word.Raw);
                break;
            case PhraseValue phrase:
                builder.Append('"').Append(phrase.Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                break;
            case ComparisonValue comparison:
                builder.Append(comparison.Operator switch
                {
                    ComparisonOperator.GreaterThan => ">",
                    ComparisonOperator.GreaterOrEqual => ">=",
                    ComparisonOperator.LessThan => "<",
                    _ => "<=",
                });
                WriteValue(builder, comparison.Bound);
                break;
            case RangeValue range:
                builder.Append(range.LowerInclusive ? '[' : '{');
                WriteValue(builder, range.Lower);
                builder.Append(" TO ");
                WriteValue(builder, range.Upper);
                builder.Append(range.UpperInclusive ? ']' : '}');
                break;
            default:
                builder.Append(CultureInfo.InvariantCulture, $"?{value.GetType().Name}");
                break;
        }
    }
}
