using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Tests.Secl;

/// <summary>Tree shapes from the single precedence table, printed as s-expressions.</summary>
public sealed class SeclParserShapeTests
{
    private static string Print(SyntaxNode node) => node switch
    {
        BinarySyntax b => $"({b.Operator} {Print(b.Left)} {Print(b.Right)})",
        UnarySyntax u => $"({u.Operator} {Print(u.Operand)})",
        ParenthesizedSyntax p => Print(p.Inner),
        IdentifierSyntax i => i.Register is null ? i.Name : $"{i.Name}[{i.Register}]",
        StringSyntax s => s.IsInterpolated ? $"\"{string.Concat(s.Parts.Select(p => p.IsVariable ? "{" + p.Text + "}" : p.Text))}\"" : $"\"{s.Value}\"",
        PatternSyntax p => $"~\"{p.Pattern}\"",
        RegexSyntax r => $"r\"{r.Pattern}\"",
        IntegerSyntax i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        DurationSyntax d => $"{d.Nanoseconds}ns",
        IpSyntax ip => ip.Value.ToString(),
        VariableSyntax v => $"${{{v.Name}}}",
        ArraySyntax a => $"[{string.Join(" ", a.Items.Select(Print))}]",
        _ => "?",
    };

    [Theory]
    [InlineData("a == 1 && b == 2 || c == 3", "(And (Equal a 1) (Or (Equal b 2) (Equal c 3)))")]
    [InlineData("a == 1 || b == 2 && c == 3", "(Or (Equal a 1) (And (Equal b 2) (Equal c 3)))")]
    [InlineData("(a == 1 && b == 2) || c == 3", "(Or (And (Equal a 1) (Equal b 2)) (Equal c 3))")]
    [InlineData("a and b or not c", "(And a (Or b (Not c)))")]
    [InlineData("f & O_CREAT > 0", "(Greater (BitAnd f O_CREAT) 0)")]
    [InlineData("f & A | B == C", "(Equal (BitAnd f (BitOr A B)) C)")]
    [InlineData("x + 1 - 2 == 3", "(Equal (Subtract (Add x 1) 2) 3)")]
    [InlineData("x - 1 & 3 > 0", "(Greater (Subtract x (BitAnd 1 3)) 0)")]
    [InlineData("!a && b", "(And (Not a) b)")]
    [InlineData("!a == true", "(Equal (Not a) true)")]
    [InlineData("-x > ^y", "(Greater (Negate x) (BitNot y))")]
    [InlineData("f not in [1, 2]", "(NotIn f [1 2])")]
    [InlineData("f allin [\"a\"]", "(AllIn f [\"a\"])")]
    [InlineData("f in MACRO && g", "(And (In f MACRO) g)")]
    [InlineData("f in 10.0.0.0/8", "(In f 10.0.0.0/8)")]
    [InlineData("f in [::1, fe80::/10, 1.2.3.4]", "(In f [::1 fe80::/10 1.2.3.4])")]
    [InlineData("f =~ ~\"/tmp/**\" || g !~ r\"^x\\d\"", "(Or (Match f ~\"/tmp/**\") (NotMatch g r\"^x\\d\"))")]
    [InlineData("t < 5s && u > 2m && v >= 1h && w <= 1d && z == 10ms", "(And (Less t 5000000000ns) (And (Greater u 120000000000ns) (And (GreaterOrEqual v 3600000000000ns) (And (LessOrEqual w 86400000000000ns) (Equal z 10000000ns)))))")]
    [InlineData("p.ancestors[A].uid == 0", "(Equal p.ancestors.uid[A] 0)")]
    [InlineData("s == \"/proc/${process.pid}/maps\"", "(Equal s \"/proc/{process.pid}/maps\")")]
    [InlineData("s in ${cgroup.seen}", "(In s ${cgroup.seen})")]
    [InlineData("s == \"a\\\"b\\\\c\"", "(Equal s \"a\"b\\c\")")]
    [InlineData("a == 1 # comment && b\n && c // other", "(And (Equal a 1) c)")]
    [InlineData("[[1]] == x", "(Equal [[1]] x)")]
    public void Parser_Expression_BuildsTheExpectedTree(string source, string expected)
    {
        var result = SeclParser.Parse(source);
        Assert.True(result.Success, string.Join(" | ", result.Diagnostics));
        Assert.Equal(expected, Print(result.Root));
    }

    [Theory]
    [InlineData("open.file.path", 0, 14)]
    [InlineData("  x == \"y\"", 2, 8)]
    public void Parser_Root_SpansTheSourceText(string source, int start, int length)
    {
        var result = SeclParser.Parse(source);
        Assert.Equal(new TextSpan(start, length), result.Root.Span);
    }
}
