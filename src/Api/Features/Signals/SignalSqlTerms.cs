using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Vigil.Core.Query.Syntax;

namespace Vigil.Api.Features.Signals;

/// <summary>One value of a field term as SQL, per kind of column; see <see cref="SignalQueryTranslator"/>.</summary>
internal static class SignalSqlTerms
{
    /// <summary>A text column: whole value equal or matching a wildcard, ignoring case; <c>*</c>: has a value.</summary>
    public static SqlPart Text(Expression column, bool nullable, ValueNode value)
    {
        Expression? body = value switch
        {
            WordValue { IsStar: true } or RangeValue { Lower: null, Upper: null } => Exists(column, nullable),
            WordValue { HasWildcards: true } word => SqlLike.FromWildcard(word.Raw) is { } pattern ? SqlLike.Matches(column, pattern) : null,
            WordValue word => SqlLike.IsAscii(word.Text) ? SqlLike.EqualsIgnoringCase(column, word.Text) : null,
            PhraseValue phrase => SqlLike.IsAscii(phrase.Text) ? SqlLike.EqualsIgnoringCase(column, phrase.Text) : null,
            _ => null, // text ranges compare ordinally in memory; SQL collations do not
        };
        if (body is null)
            return SqlPart.Unknown;
        // A null column has no value: NOT must make such a row match, which needs the explicit test.
        if (nullable && body is not ConstantExpression)
            body = Expression.AndAlso(Expression.NotEqual(column, Expression.Constant(null, typeof(string))), body);
        return new SqlPart(body, Exact: true);
    }

    /// <summary>An integer column: numeric equality, comparisons and ranges with numeric bounds.</summary>
    public static SqlPart Number(Expression column, ValueNode value)
    {
        var asDouble = Expression.Convert(column, typeof(double));
        return value switch
        {
            WordValue { IsStar: true } or RangeValue { Lower: null, Upper: null } => SqlPart.Everything,
            WordValue { HasWildcards: true } => SqlPart.Unknown,
            // A word that is not a number compares as text with the number's digits: never equal.
            WordValue word => TryNumber(word.Text, out var n) ? Exact(Expression.Equal(asDouble, Const(n))) : SqlPart.Nothing,
            PhraseValue phrase => TryNumber(phrase.Text, out var n) ? Exact(Expression.Equal(asDouble, Const(n))) : SqlPart.Nothing,
            ComparisonValue c when Bound(c.Bound) is { } n => Exact(c.Operator switch
            {
                ComparisonOperator.GreaterThan => Expression.GreaterThan(asDouble, Const(n)),
                ComparisonOperator.GreaterOrEqual => Expression.GreaterThanOrEqual(asDouble, Const(n)),
                ComparisonOperator.LessThan => Expression.LessThan(asDouble, Const(n)),
                _ => Expression.LessThanOrEqual(asDouble, Const(n)),
            }),
            RangeValue r => Range(asDouble, r),
            _ => SqlPart.Unknown,
        };
    }

    /// <summary>
    /// A user id column, searched by the id's text (<c>xxxxxxxx-xxxx-…</c>, any case): equality or <c>*</c>
    /// (assigned at all); wildcards stay in memory.
    /// </summary>
    public static SqlPart UserId(Expression column, ValueNode value)
    {
        var text = value switch
        {
            WordValue { IsStar: true } or RangeValue { Lower: null, Upper: null } => null,
            WordValue { HasWildcards: false } word => word.Text,
            PhraseValue phrase => phrase.Text,
            _ => "",
        };
        if (text is null)
            return Exact(Expression.NotEqual(column, Expression.Constant(null, typeof(Guid?))));
        if (text.Length == 0)
            return SqlPart.Unknown;
        // The evaluator compares the id's canonical text; any other spelling of an id never equals it.
        if (!Guid.TryParseExact(text, "D", out var id))
            return SqlPart.Nothing;
        return Exact(Expression.Equal(column, Expression.Field(Expression.Constant(new StrongBox<Guid?>(id)), nameof(StrongBox<Guid?>.Value))));
    }

    /// <summary>
    /// A tag <c>key:value</c>: the tags column holds a JSON array of strings, so an element equal to
    /// <c>"key:value"</c> (ignoring case) is a LIKE on the column. Only for text that JSON writes as is
    /// (letters, digits, <c>-_.:/</c> and space); anything else stays in memory.
    /// </summary>
    public static SqlPart Tag(string key, ValueNode value, ParameterExpression s)
    {
        var text = value switch
        {
            WordValue { HasWildcards: false } word => word.Text,
            PhraseValue phrase => phrase.Text,
            _ => null,
        };
        if (text is null || !IsPlainJson(key, allowColon: false) || !IsPlainJson(text, allowColon: true))
            return SqlPart.Unknown;
        var column = Expression.Property(s, nameof(Data.Entities.Signal.TagsJson));
        return Exact(SqlLike.Matches(column, "%" + SqlLike.Literal($"\"{key}:{text}\"") + "%"));
    }

    private static SqlPart Range(Expression column, RangeValue range)
    {
        double? lower = null, upper = null;
        if ((range.Lower is not null && (lower = Bound(range.Lower)) is null) || (range.Upper is not null && (upper = Bound(range.Upper)) is null))
            return SqlPart.Unknown;
        Expression body = Expression.Constant(true);
        if (lower is { } lo)
            body = range.LowerInclusive ? Expression.GreaterThanOrEqual(column, Const(lo)) : Expression.GreaterThan(column, Const(lo));
        if (upper is { } hi)
        {
            Expression top = range.UpperInclusive ? Expression.LessThanOrEqual(column, Const(hi)) : Expression.LessThan(column, Const(hi));
            body = lower is null ? top : Expression.AndAlso(body, top);
        }
        return Exact(body);
    }

    private static double? Bound(ValueNode? bound) => bound switch
    {
        WordValue word when TryNumber(word.Text, out var n) => n,
        PhraseValue phrase when TryNumber(phrase.Text, out var n) => n,
        _ => null,
    };

    private static Expression Exists(Expression column, bool nullable) =>
        nullable ? Expression.NotEqual(column, Expression.Constant(null, typeof(string))) : Expression.Constant(true);

    private static SqlPart Exact(Expression body) => new(body, Exact: true);

    private static ConstantExpression Const(double value) => Expression.Constant(value);

    private static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool IsPlainJson(string text, bool allowColon)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ' ' || (allowColon && c == ':')))
                return false;
        }
        return text.Length > 0;
    }
}
