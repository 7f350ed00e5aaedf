using System.Linq.Expressions;
using Vigil.Core.Domain;
using Vigil.Core.Query;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Query.Syntax;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// Turns a search query into a SQL predicate on the signals table (an EF Core expression, so every value
/// the user typed becomes a query parameter). Terms on the signal's own columns translate exactly: host,
/// status (severity), rule, title, message, triage state, assignee, agent rule, events matched, container id and image,
/// tags of simple text
/// and full-text words. Anything else (sample-event attributes, text ranges, non-ASCII text whose
/// case-folding SQL would not reproduce) is left to the in-memory evaluator: the predicate then only
/// narrows the candidates and <see cref="SignalFilter.Exact"/> is false.
/// </summary>
public static class SignalQueryTranslator
{
    public static SignalFilter Translate(QueryNode query)
    {
        var signal = Expression.Parameter(typeof(Signal), "s");
        var part = Node(query, null, signal);
        return new SignalFilter(Expression.Lambda<Func<Signal, bool>>(part.Body, signal), part.Exact);
    }

    private static SqlPart Node(QueryNode node, QueryField? field, ParameterExpression s) => node switch
    {
        MatchAllNode => SqlPart.Everything,
        AndNode all => SqlPart.And(all.Operands.Select(o => Node(o, field, s))),
        OrNode any => SqlPart.Or(any.Operands.Select(o => Node(o, field, s))),
        NotNode not => SqlPart.Not(Node(not.Operand, field, s)),
        FieldTermNode term => Term(term, s),
        ValueNode value when field is not null => Value(field, value, s),
        ValueNode value => FullText(value, s),
        _ => SqlPart.Unknown,
    };

    private static SqlPart Term(FieldTermNode term, ParameterExpression s)
    {
        if (term.Field.Kind == QueryFieldKind.Tag)
            return Node(term.Value, term.Field, s);
        return SignalColumns.Of(term.Field) switch
        {
            SignalColumn.Severity => EnumMembers(term, Enum.GetValues<Severity>(), m => m.ToWire(), s, nameof(Signal.Severity)),
            SignalColumn.TriageState => EnumMembers(term, Enum.GetValues<TriageState>(), m => m.ToWire(), s, nameof(Signal.TriageState)),
            null => SqlPart.Unknown,
            _ => Node(term.Value, term.Field, s),
        };
    }

    /// <summary>
    /// A single-valued field with few possible values: the compiled term is tried on each value here, and
    /// the ones that match become an <c>IN</c> list — exactly the evaluator's answer, whatever the syntax.
    /// </summary>
    private static SqlPart EnumMembers<T>(FieldTermNode term, T[] members, Func<T, string> wire, ParameterExpression s, string property)
        where T : struct, Enum
    {
        var compiled = QueryCompiler.Compile(term);
        var column = Expression.Property(s, property);
        Expression body = Expression.Constant(false);
        foreach (var member in members)
        {
            if (compiled.Matches(new DictionaryQueryDocument([new(term.Field.Name, wire(member))])))
                body = body is ConstantExpression ? Eq(column, member) : Expression.OrElse(body, Eq(column, member));
        }
        return new SqlPart(body, Exact: true);

        static BinaryExpression Eq(Expression column, T member) => Expression.Equal(column, Expression.Constant(member));
    }

    private static SqlPart Value(QueryField field, ValueNode value, ParameterExpression s)
    {
        if (field.Kind == QueryFieldKind.Tag && field.Name == SignalColumns.ImageTag)
            return SqlPart.Or([SignalSqlTerms.Text(Expression.Property(s, nameof(Signal.ContainerImage)), true, value), SignalSqlTerms.Tag(field.Name, value, s)]);
        if (field.Kind == QueryFieldKind.Tag)
            return SignalSqlTerms.Tag(field.Name, value, s);
        return SignalColumns.Of(field) switch
        {
            SignalColumn.EventCount => SignalSqlTerms.Number(Expression.Property(s, nameof(Signal.EventCount)), value),
            SignalColumn.Assignee => SignalSqlTerms.UserId(Expression.Property(s, nameof(Signal.AssigneeUserId)), value),
            SignalColumn.Text text => SignalSqlTerms.Text(Expression.Property(s, text.Property), text.Nullable, value),
            _ => SqlPart.Unknown,
        };
    }

    /// <summary>A bare word or phrase: a substring of the title or the message (the full-text fields).</summary>
    private static SqlPart FullText(ValueNode value, ParameterExpression s)
    {
        var pattern = value switch
        {
            WordValue word => SqlLike.FromWildcard("*" + word.Raw + "*"),
            PhraseValue phrase => SqlLike.Contains(phrase.Text),
            _ => null,
        };
        if (pattern is null)
            return SqlPart.Unknown;
        return new SqlPart(Expression.OrElse(
            SqlLike.Matches(Expression.Property(s, nameof(Signal.Title)), pattern),
            SqlLike.Matches(Expression.Property(s, nameof(Signal.Message)), pattern)), Exact: true);
    }
}
