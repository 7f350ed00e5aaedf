namespace Vigil.Core.Query.Evaluation;

/// <summary>A node of a compiled query. Stateless, so one compiled query may be shared across threads.</summary>
internal abstract class Matcher
{
    public abstract bool Matches(IQueryDocument document);
}

internal sealed class MatchAllMatcher : Matcher
{
    public static readonly MatchAllMatcher Instance = new();

    public override bool Matches(IQueryDocument document) => true;
}

internal sealed class AndMatcher(Matcher[] operands) : Matcher
{
    public override bool Matches(IQueryDocument document)
    {
        foreach (var operand in operands)
        {
            if (!operand.Matches(document))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class OrMatcher(Matcher[] operands) : Matcher
{
    public override bool Matches(IQueryDocument document)
    {
        foreach (var operand in operands)
        {
            if (operand.Matches(document))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class NotMatcher(Matcher operand) : Matcher
{
    public override bool Matches(IQueryDocument document) => !operand.Matches(document);
}

/// <summary>True when any value of the field passes any of the predicates.</summary>
internal sealed class FieldMatcher(QueryField field, ValuePredicate[] predicates) : Matcher, IQueryValueVisitor
{
    public override bool Matches(IQueryDocument document) => document.VisitValues(field, this);

    public bool Visit(QueryValue value)
    {
        foreach (var predicate in predicates)
        {
            if (predicate.Test(value))
            {
                return true;
            }
        }

        return false;
    }
}
