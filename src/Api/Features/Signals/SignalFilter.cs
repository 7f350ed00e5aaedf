using System.Linq.Expressions;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>
/// The part of a search that runs in SQL. <see cref="Exact"/>: the predicate is the whole query, so no row
/// needs a second look in memory. Otherwise the predicate only narrows the rows (every matching signal
/// passes it) and the compiled query decides on each of them.
/// </summary>
public sealed record SignalFilter(Expression<Func<Signal, bool>> Predicate, bool Exact)
{
    public static readonly SignalFilter All = new(_ => true, Exact: true);

    /// <summary>True when the predicate is the constant <c>true</c> (no WHERE needed).</summary>
    public bool MatchesEverything => Predicate.Body is ConstantExpression { Value: true };
}
