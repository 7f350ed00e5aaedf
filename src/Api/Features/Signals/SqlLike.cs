using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// Case-insensitive matching in SQL as <c>lower(column) LIKE pattern ESCAPE '\'</c>, on PostgreSQL and SQLite
/// alike. Only ASCII patterns translate: SQLite's <c>lower()</c> folds ASCII only, and .NET's invariant
/// case-folding of other scripts is not what either database does, so those stay in memory.
/// </summary>
internal static class SqlLike
{
    private const string Escape = "\\";

    private static readonly System.Reflection.MethodInfo LikeMethod = typeof(DbFunctionsExtensions).GetMethod(
        nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    private static readonly System.Reflection.MethodInfo ToLowerMethod = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    /// <summary>A query wildcard (<c>*</c>, <c>?</c>, backslash escapes) as a lower-case LIKE pattern; null when not ASCII.</summary>
    public static string? FromWildcard(string raw)
    {
        if (!IsAscii(raw))
            return null;
        var pattern = new StringBuilder(raw.Length + 8);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length)
                Literal(pattern, raw[++i]);
            else if (c == '*')
                pattern.Append('%');
            else if (c == '?')
                pattern.Append('_');
            else
                Literal(pattern, c);
        }
        return pattern.ToString();
    }

    /// <summary>A literal text anywhere in the value; null when not ASCII.</summary>
    public static string? Contains(string text) => IsAscii(text) ? "%" + Literal(text) + "%" : null;

    /// <summary>The text with LIKE's special characters escaped, lower-cased.</summary>
    public static string Literal(string text)
    {
        var pattern = new StringBuilder(text.Length + 4);
        foreach (var c in text)
            Literal(pattern, c);
        return pattern.ToString();
    }

    public static bool IsAscii(string text) => Ascii.IsValid(text);

    /// <summary><c>lower(column) LIKE @pattern ESCAPE '\'</c>, the pattern a query parameter.</summary>
    public static Expression Matches(Expression column, string pattern) =>
        Expression.Call(LikeMethod, Expression.Constant(EF.Functions), Lower(column), Parameter(pattern), Expression.Constant(Escape));

    /// <summary><c>lower(column) = @value</c>, the value a query parameter.</summary>
    public static Expression EqualsIgnoringCase(Expression column, string value) =>
        Expression.Equal(Lower(column), Parameter(value.ToLowerInvariant()));

    private static MethodCallExpression Lower(Expression column) => Expression.Call(column, ToLowerMethod);

    /// <summary>A value read from a closure, which EF Core sends as a parameter rather than inlining.</summary>
    private static MemberExpression Parameter(string value) =>
        Expression.Property(Expression.Constant(new Box(value)), nameof(Box.Value));

    private static void Literal(StringBuilder pattern, char c)
    {
        if (c is '%' or '_' or '\\')
            pattern.Append('\\');
        pattern.Append(char.ToLowerInvariant(c));
    }

    private sealed record Box(string Value);
}
