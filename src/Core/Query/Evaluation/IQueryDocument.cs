namespace Vigil.Core.Query.Evaluation;

/// <summary>The kind of a scalar value read from a document.</summary>
public enum QueryValueKind
{
    Text,
    Number,
    Boolean,
    /// <summary>An object: it exists, but no text or number matches it.</summary>
    Composite,
}

/// <summary>
/// One value of a field, handed to a visitor without copying: <see cref="Text"/> may point into a stack
/// buffer valid only during the visit. Numbers carry their JSON text too (for wildcards and equality on
/// text), booleans the text <c>true</c>/<c>false</c>.
/// </summary>
public readonly ref struct QueryValue
{
    private QueryValue(QueryValueKind kind, ReadOnlySpan<char> text, double number)
    {
        Kind = kind;
        Text = text;
        Number = number;
    }

    public QueryValueKind Kind { get; }

    public ReadOnlySpan<char> Text { get; }

    /// <summary>The numeric value when <see cref="Kind"/> is <see cref="QueryValueKind.Number"/>.</summary>
    public double Number { get; }

    public static QueryValue FromString(ReadOnlySpan<char> text) => new(QueryValueKind.Text, text, 0);

    public static QueryValue FromNumber(double number, ReadOnlySpan<char> text) => new(QueryValueKind.Number, text, number);

    public static QueryValue FromBoolean(bool value) => new(QueryValueKind.Boolean, value ? "true" : "false", 0);

    public static QueryValue FromComposite() => new(QueryValueKind.Composite, default, 0);
}

/// <summary>Receives the values of a field, one at a time.</summary>
public interface IQueryValueVisitor
{
    /// <summary>Looks at one value; returns true to stop the walk (for a matcher: "this one matches").</summary>
    bool Visit(QueryValue value);
}

/// <summary>
/// Something a query can be matched against: an agent event, a signal. A document resolves a
/// <see cref="QueryField"/> to zero or more scalar values (an array gives one value per element, arrays
/// met along a dotted path are walked into) and hands them to a visitor.
/// </summary>
public interface IQueryDocument
{
    /// <summary>
    /// Calls <paramref name="visitor"/> for each value of <paramref name="field"/> until it returns true.
    /// Returns true when the visitor stopped the walk, false when the values ran out (or there were none:
    /// a missing field or a JSON null has no values).
    /// </summary>
    bool VisitValues(QueryField field, IQueryValueVisitor visitor);
}
