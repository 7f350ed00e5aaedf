using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Vigil.Core.Query.Syntax;

namespace Vigil.Core.Query.Evaluation;

/// <summary>
/// Binds a parsed query to fields and predicates and compiles it into a <see cref="CompiledQuery"/>.
/// </summary>
/// <remarks>
/// Matching rules:
/// <list type="bullet">
/// <item>Words and phrases compare whole values, case-insensitively; wildcards (<c>*</c>, <c>?</c>) in a
/// word match the whole value, case-insensitively. A quoted phrase has no wildcards.</item>
/// <item><c>@a:value</c> on a JSON number compares numerically when the value reads as a number
/// (<c>@pid:42</c> matches 42 and 42.0); numbers are exact, not case-folded text.</item>
/// <item><c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c> and ranges compare numerically when their bounds
/// are numbers (document strings that read as numbers count), otherwise as case-insensitive ordinal text.</item>
/// <item><c>@a:*</c> matches when the field has any value (an object counts; null and empty arrays do not).</item>
/// <item>A field whose value is an array matches when any element matches.</item>
/// <item>A negated term matches when the term does not: in particular when the field is missing.</item>
/// <item>A value group applies the field to each value: <c>@a:(x OR y)</c> is <c>@a:x OR @a:y</c>,
/// <c>@a:(x AND y)</c> is <c>@a:x AND @a:y</c> (an array may hold both), <c>@a:(NOT x)</c> is <c>NOT @a:x</c>.</item>
/// <item>A bare word searches the full-text fields for a case-insensitive substring (wildcards allowed);
/// a bare phrase for the exact phrase, case-insensitively.</item>
/// </list>
/// </remarks>
public static class QueryCompiler
{
    public static CompiledQuery Compile(QueryNode query, QueryCompileOptions? options = null)
    {
        options ??= QueryCompileOptions.Default;
        var root = Bind(query, null, options);
        return new CompiledQuery(query, root, QueryFields.Of(query), QueryFields.UsesFullText(query));
    }

    /// <summary>Parses and compiles; false with the parser's diagnostics when the query has errors.</summary>
    public static bool TryCompile(
        string? text,
        [NotNullWhen(true)] out CompiledQuery? query,
        out ImmutableArray<QueryDiagnostic> diagnostics,
        QueryCompileOptions? options = null,
        QueryParserOptions? parserOptions = null)
    {
        var parsed = QueryParser.Parse(text, parserOptions);
        diagnostics = parsed.Diagnostics;
        query = parsed.Success ? Compile(parsed.Query, options) : null;
        return query is not null;
    }

    private static Matcher Bind(QueryNode node, QueryField? field, QueryCompileOptions options)
    {
        switch (node)
        {
            case MatchAllNode:
                return MatchAllMatcher.Instance;
            case NotNode not:
                return new NotMatcher(Bind(not.Operand, field, options));
            case AndNode allOf:
                return new AndMatcher(BindAll(allOf.Operands, field, options));
            case OrNode anyOf when field is not null && AllPlainValues(anyOf.Operands):
                // @agent.rule_id:(a OR b OR c): one walk over the field's values tests every alternative.
                var predicates = new ValuePredicate[anyOf.Operands.Length];
                for (var i = 0; i < predicates.Length; i++)
                {
                    predicates[i] = Predicate((ValueNode)anyOf.Operands[i]);
                }

                return new FieldMatcher(field, predicates);
            case OrNode anyOf:
                return new OrMatcher(BindAll(anyOf.Operands, field, options));
            case FieldTermNode term:
                return Bind(term.Value, term.Field, options);
            case ValueNode value when field is not null:
                return new FieldMatcher(field, [Predicate(value)]);
            case ValueNode value:
                return FullText(value, options);
            default:
                throw new ArgumentException($"unknown syntax node {node.GetType().Name}", nameof(node));
        }
    }

    private static Matcher[] BindAll(ImmutableArray<QueryNode> operands, QueryField? field, QueryCompileOptions options)
    {
        var matchers = new Matcher[operands.Length];
        for (var i = 0; i < matchers.Length; i++)
        {
            matchers[i] = Bind(operands[i], field, options);
        }

        return matchers;
    }

    private static bool AllPlainValues(ImmutableArray<QueryNode> operands)
    {
        foreach (var operand in operands)
        {
            if (operand is not ValueNode)
            {
                return false;
            }
        }

        return true;
    }

    private static ValuePredicate Predicate(ValueNode value) => value switch
    {
        WordValue { IsStar: true } => AnyValuePredicate.Instance,
        WordValue { HasWildcards: true } word => new WildcardPredicate(WildcardPattern.Compile(word.Raw)),
        WordValue word => new EqualsPredicate(word.Text),
        PhraseValue phrase => new EqualsPredicate(phrase.Text),
        ComparisonValue comparison => Comparison(comparison),
        RangeValue range => range.Lower is null && range.Upper is null
            ? AnyValuePredicate.Instance
            : new RangePredicate(new RangeBound(BoundText(range.Lower), range.LowerInclusive), new RangeBound(BoundText(range.Upper), range.UpperInclusive)),
        _ => throw new ArgumentException($"unknown value node {value.GetType().Name}", nameof(value)),
    };

    private static RangePredicate Comparison(ComparisonValue comparison)
    {
        var bound = BoundText(comparison.Bound);
        return comparison.Operator switch
        {
            ComparisonOperator.GreaterThan => new RangePredicate(new RangeBound(bound, false), new RangeBound(null, false)),
            ComparisonOperator.GreaterOrEqual => new RangePredicate(new RangeBound(bound, true), new RangeBound(null, false)),
            ComparisonOperator.LessThan => new RangePredicate(new RangeBound(null, false), new RangeBound(bound, false)),
            _ => new RangePredicate(new RangeBound(null, false), new RangeBound(bound, true)),
        };
    }

    private static string? BoundText(ValueNode? bound) => bound switch
    {
        WordValue word => word.Text,
        PhraseValue phrase => phrase.Text,
        _ => null,
    };

    private static Matcher FullText(ValueNode value, QueryCompileOptions options)
    {
        ValuePredicate predicate = value switch
        {
            WordValue word => new WildcardPredicate(WildcardPattern.Compile("*" + word.Raw + "*")),
            PhraseValue phrase => new ContainsPredicate(phrase.Text),
            _ => throw new ArgumentException("comparisons and ranges need a field", nameof(value)),
        };
        var fields = options.FullTextFields;
        if (fields.Length == 1)
        {
            return new FieldMatcher(fields[0], [predicate]);
        }

        var matchers = new Matcher[fields.Length];
        for (var i = 0; i < matchers.Length; i++)
        {
            matchers[i] = new FieldMatcher(fields[i], [predicate]);
        }

        return new OrMatcher(matchers);
    }
}
