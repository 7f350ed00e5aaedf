namespace Vigil.Core.Detection;

/// <summary>
/// A threshold case condition: comparisons of query counts with integers, joined by <c>&amp;&amp;</c>,
/// <c>||</c> and parentheses (<c>a &gt; 5 &amp;&amp; (b &gt; 0 || c &gt;= 2)</c>). Parsed once, evaluated per update.
/// </summary>
public sealed class CaseCondition
{
    private const int MaxLength = 1024;
    private const int MaxDepth = 32;
    private readonly Node _root;

    private CaseCondition(Node root) => _root = root;

    public bool Holds(IReadOnlyDictionary<string, long> counts) => _root.Evaluate(counts);

    /// <summary>Parses; on failure returns null and a message with the 1-based column of the problem.</summary>
    public static CaseCondition? Parse(string? text, IReadOnlySet<string> queryNames, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the condition is empty";
            return null;
        }
        if (text.Length > MaxLength)
        {
            error = $"the condition is longer than {MaxLength} characters";
            return null;
        }
        var parser = new Parser(text, queryNames);
        try
        {
            var root = parser.ParseOr(0);
            parser.SkipSpaces();
            if (!parser.AtEnd)
                throw parser.Error($"unexpected '{text[parser.Position]}'");
            return new CaseCondition(root);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private abstract record Node
    {
        public abstract bool Evaluate(IReadOnlyDictionary<string, long> counts);
    }

    private sealed record Or(Node Left, Node Right) : Node
    {
        public override bool Evaluate(IReadOnlyDictionary<string, long> counts) => Left.Evaluate(counts) || Right.Evaluate(counts);
    }

    private sealed record And(Node Left, Node Right) : Node
    {
        public override bool Evaluate(IReadOnlyDictionary<string, long> counts) => Left.Evaluate(counts) && Right.Evaluate(counts);
    }

    private sealed record Compare(string Query, string Operator, long Value) : Node
    {
        public override bool Evaluate(IReadOnlyDictionary<string, long> counts)
        {
            var count = counts.TryGetValue(Query, out var c) ? c : 0;
            return Operator switch
            {
                ">" => count > Value,
                ">=" => count >= Value,
                "<" => count < Value,
                "<=" => count <= Value,
                "==" => count == Value,
                _ => count != Value,
            };
        }
    }

    private sealed class Parser(string text, IReadOnlySet<string> queryNames)
    {
        public int Position { get; private set; }
        public bool AtEnd => Position >= text.Length;

        public Node ParseOr(int depth)
        {
            var left = ParseAnd(depth);
            while (TryTake("||"))
                left = new Or(left, ParseAnd(depth));
            return left;
        }

        private Node ParseAnd(int depth)
        {
            var left = ParsePrimary(depth);
            while (TryTake("&&"))
                left = new And(left, ParsePrimary(depth));
            return left;
        }

        private Node ParsePrimary(int depth)
        {
            if (depth > MaxDepth)
                throw Error("the condition is nested too deeply");
            SkipSpaces();
            if (TryTake("("))
            {
                var inner = ParseOr(depth + 1);
                if (!TryTake(")"))
                    throw Error("expected ')'");
                return inner;
            }
            var start = Position;
            while (!AtEnd && (char.IsLetterOrDigit(text[Position]) || text[Position] == '_'))
                Position++;
            if (start == Position)
                throw Error("expected a query name");
            var name = text[start..Position];
            if (!queryNames.Contains(name))
            {
                Position = start;
                throw Error($"'{name}' is not the name of a query of this rule");
            }
            SkipSpaces();
            var op = new[] { ">=", "<=", "==", "!=", ">", "<" }.FirstOrDefault(o => string.CompareOrdinal(text, Position, o, 0, o.Length) == 0)
                ?? throw Error("expected a comparison (>, >=, <, <=, ==, !=)");
            Position += op.Length;
            SkipSpaces();
            var numberStart = Position;
            while (!AtEnd && char.IsAsciiDigit(text[Position]))
                Position++;
            if (numberStart == Position || !long.TryParse(text.AsSpan(numberStart, Position - numberStart), out var value))
                throw Error("expected a whole number");
            return new Compare(name, op, value);
        }

        private bool TryTake(string token)
        {
            SkipSpaces();
            if (string.CompareOrdinal(text, Position, token, 0, token.Length) != 0)
                return false;
            Position += token.Length;
            return true;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
                Position++;
        }

        public FormatException Error(string message) => new($"{message} at column {Position + 1}");
    }
}
