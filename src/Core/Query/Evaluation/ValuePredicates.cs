using System.Globalization;

namespace Vigil.Core.Query.Evaluation;

/// <summary>A test of one document value, compiled from one query value.</summary>
internal abstract class ValuePredicate
{
    public abstract bool Test(QueryValue value);

    /// <summary>Reads a finite number in invariant culture ("NaN", "Infinity" and hex are not numbers).</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
}

/// <summary><c>@x:*</c>: any value, including an object.</summary>
internal sealed class AnyValuePredicate : ValuePredicate
{
    public static readonly AnyValuePredicate Instance = new();

    public override bool Test(QueryValue value) => true;
}

/// <summary>Whole-value equality: numeric against numbers when the query value is a number, otherwise case-insensitive text.</summary>
internal sealed class EqualsPredicate : ValuePredicate
{
    private readonly string _text;
    private readonly bool _isNumber;
    private readonly double _number;

    public EqualsPredicate(string text)
    {
        _text = text;
        _isNumber = TryParseNumber(text, out _number);
    }

    public override bool Test(QueryValue value) => value.Kind switch
    {
        QueryValueKind.Composite => false,
        QueryValueKind.Number when _isNumber => value.Number == _number,
        _ => value.Text.Equals(_text, StringComparison.OrdinalIgnoreCase),
    };
}

/// <summary>Case-insensitive wildcard match on the text of a value (numbers by their JSON text).</summary>
internal sealed class WildcardPredicate(WildcardPattern pattern) : ValuePredicate
{
    public override bool Test(QueryValue value) => value.Kind != QueryValueKind.Composite && pattern.IsMatch(value.Text);
}

/// <summary>Case-insensitive substring: full-text search of a quoted phrase.</summary>
internal sealed class ContainsPredicate(string phrase) : ValuePredicate
{
    public override bool Test(QueryValue value) =>
        value.Kind != QueryValueKind.Composite && value.Text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One end of a range; <see cref="Text"/> null means open.</summary>
internal readonly record struct RangeBound(string? Text, bool Inclusive)
{
    public bool IsOpen => Text is null;
}

/// <summary>
/// Comparisons and ranges. When every closed bound is a number, the document value must be a number (or a
/// string that reads as one) and is compared numerically; otherwise values compare as text, ordinal and
/// case-insensitive (so ISO dates order correctly).
/// </summary>
internal sealed class RangePredicate : ValuePredicate
{
    private readonly RangeBound _lower;
    private readonly RangeBound _upper;
    private readonly bool _numeric;
    private readonly double _lowerNumber;
    private readonly double _upperNumber;

    public RangePredicate(RangeBound lower, RangeBound upper)
    {
        _lower = lower;
        _upper = upper;
        var lowerIsNumber = lower.Text is null || TryParseNumber(lower.Text, out _lowerNumber);
        var upperIsNumber = upper.Text is null || TryParseNumber(upper.Text, out _upperNumber);
        _numeric = lowerIsNumber && upperIsNumber;
    }

    public override bool Test(QueryValue value)
    {
        if (value.Kind is QueryValueKind.Composite or QueryValueKind.Boolean)
        {
            return false;
        }

        if (_numeric)
        {
            double number;
            if (value.Kind == QueryValueKind.Number)
            {
                number = value.Number;
            }
            else if (!TryParseNumber(value.Text, out number))
            {
                return false;
            }

            return (_lower.IsOpen || (_lower.Inclusive ? number >= _lowerNumber : number > _lowerNumber))
                && (_upper.IsOpen || (_upper.Inclusive ? number <= _upperNumber : number < _upperNumber));
        }

        if (!_lower.IsOpen)
        {
            var order = value.Text.CompareTo(_lower.Text, StringComparison.OrdinalIgnoreCase);
            if (order < 0 || (order == 0 && !_lower.Inclusive))
            {
                return false;
            }
        }

        if (!_upper.IsOpen)
        {
            var order = value.Text.CompareTo(_upper.Text, StringComparison.OrdinalIgnoreCase);
            if (order > 0 || (order == 0 && !_upper.Inclusive))
            {
                return false;
            }
        }

        return true;
    }
}
