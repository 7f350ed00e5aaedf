using System.Linq.Expressions;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// A translated piece of a query: a SQL-able condition that every matching signal meets, and whether it is
/// the piece itself (<see cref="Exact"/>) or only a wider net. A piece SQL cannot express is
/// <see cref="Unknown"/>: <c>true</c>, inexact.
/// </summary>
internal readonly record struct SqlPart(Expression Body, bool Exact)
{
    public static readonly SqlPart Everything = new(Expression.Constant(true), Exact: true);
    public static readonly SqlPart Nothing = new(Expression.Constant(false), Exact: true);
    public static readonly SqlPart Unknown = new(Expression.Constant(true), Exact: false);

    private bool IsTrue => Body is ConstantExpression { Value: true };
    private bool IsFalse => Body is ConstantExpression { Value: false };

    /// <summary>Dropping an inexact operand of AND only widens the net, so the others still apply.</summary>
    public static SqlPart And(IEnumerable<SqlPart> parts)
    {
        var result = Everything;
        foreach (var part in parts)
        {
            var body = result.IsTrue ? part.Body : part.IsTrue ? result.Body : Expression.AndAlso(result.Body, part.Body);
            result = new SqlPart(result.IsFalse || part.IsFalse ? Expression.Constant(false) : body, result.Exact && part.Exact);
        }
        return result;
    }

    /// <summary>An OR is as wide as its widest operand: one unknown operand makes it unknown.</summary>
    public static SqlPart Or(IEnumerable<SqlPart> parts)
    {
        var result = Nothing;
        foreach (var part in parts)
        {
            var body = result.IsFalse ? part.Body : part.IsFalse ? result.Body : Expression.OrElse(result.Body, part.Body);
            result = new SqlPart(result.IsTrue || part.IsTrue ? Expression.Constant(true) : body, result.Exact && part.Exact);
        }
        return result;
    }

    /// <summary>Only an exact piece can be negated: the complement of a wider net is a narrower one.</summary>
    public static SqlPart Not(SqlPart part) => part.Exact
        ? new SqlPart(part.IsTrue ? Expression.Constant(false) : part.IsFalse ? Expression.Constant(true) : Expression.Not(part.Body), Exact: true)
        : Unknown;
}
