using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Tests.Secl;

/// <summary>Table-driven errors: each row is an expression, a message fragment and its 1-based position.</summary>
public sealed class SeclConformanceDiagnosticTests
{
    public static TheoryData<string, string, int, int> Cases { get; } = Build(
    [
        // syntax (positions as participle prints them: line:column)
        ("exec.file.name == ", "unexpected end of expression", 1, 19),
        ("exec.file.name = \"x\"", "unexpected character \"=\"", 1, 16),
        ("exec.file.name == \"x", "unterminated string", 1, 19),
        ("exec.file.name == \"x\" &&", "unexpected end of expression", 1, 25),
        ("(exec.file.name == \"x\"", "missing \")\"", 1, 23),
        ("exec.file.name == \"x\")", "unexpected token \")\"", 1, 22),
        ("exec.file.name in [\"a\", \"b\"", "missing \"]\"", 1, 28),
        ("exec.file.name in []", "empty array", 1, 19),
        ("exec.file.name in [\"a\" \"b\"]", "unexpected token \"b\"", 1, 24),
        ("exec.file.name == @", "unexpected character \"@\"", 1, 19),
        ("exec.file.name == 12abc", "invalid number, duration or address \"12abc\"", 1, 19),
        ("exec.file.name == 5x", "invalid number, duration or address \"5x\"", 1, 19),
        ("exec.file.name == ${", "malformed variable", 1, 19),
        ("exec.file.name == ${x", "malformed variable", 1, 19),
        ("process.ancestors[].uid == 0", "malformed register", 1, 1),
        ("", "empty expression", 1, 1),
        ("   # only a comment", "empty expression", 1, 20),
        ("exec.file.name ==\n  == \"x\"", "unexpected token \"==\"", 2, 3),
        ("exec.file.name == \"a\" &&\n\n  || exec.uid == 0", "unexpected token \"||\"", 3, 3),
        ("open.flags in [O_RDONLY, O_RDWR | O_CREAT]", "unexpected token \"|\"", 1, 33),
        ("exec.file.name == \"a\" exec.uid == 0", "unexpected token \"exec.uid\"", 1, 23),
        ("exec.file.name == 999.1.1.1", "invalid number, duration or address", 1, 19),
        ("connect.addr.ip in [10.0.0.0/33]", "invalid number, duration or address", 1, 21),
        // binding: fields, event types
        ("exec.file.nam == \"x\"", "field `exec.file.nam` not found", 1, 1),
        ("exec.argv.length == 5", "field `exec.argv.length` not found", 1, 1),
        ("foo.bar == 1", "field `foo.bar` not found", 1, 1),
        ("process.file.name == \"x\"", "no event in the rule definition", 1, 1),
        ("open.file.path == \"/x\" && exec.file.name == \"y\"", "field `exec.file.name` not available for event type `open`", 1, 27),
        ("dns.question.name == \"x\" && connect.addr.port == 1", "not available for event type `dns`", 1, 29),
        ("UNKNOWN_THING", "unknown identifier `UNKNOWN_THING`", 1, 1),
        ("exec.file.name in UNKNOWN_LIST", "unknown identifier `UNKNOWN_LIST`", 1, 19),
        // binding: types and operators
        ("exec.file.name == 1", "invalid value `1` for string comparison", 1, 19),
        ("exec.uid == \"root\"", "`\"root\"` is not an integer", 1, 13),
        ("exec.file.name > \"a\"", "operator `>` is not defined on strings", 1, 1),
        ("exec.uid =~ \"1*\"", "operator `=~` is not defined on integers", 1, 1),
        ("exec.file.path =~ r\"^/usr\"", "regex is not allowed on path field `exec.file.path`", 1, 19),
        ("open.file.path in [r\".*\"]", "regex is not allowed on path field `open.file.path`", 1, 20),
        ("exec.file.name =~ r\"(\"", "invalid regex", 1, 19),
        ("exec.file.name =~ r\"(a)\\1\"", "invalid regex", 1, 19),
        ("exec.file.name == [\"a\"]", "operator `==` does not take an array", 1, 19),
        ("exec.file.name", "is not a boolean", 1, 1),
        ("exec.uid", "is not a boolean", 1, 1),
        ("exec.file.name == \"x\" && 1", "is not a boolean", 1, 26),
        ("process.file.in_upper_layer > true", "operator `>` is not defined on booleans", 1, 1),
        ("connect.addr.ip == \"not-an-ip\"", "invalid value `\"not-an-ip\"` for IP comparison", 1, 20),
        ("connect.addr.ip > 10.0.0.1", "operator `>` is not defined on IP addresses", 1, 1),
        ("open.flags in [1, open.retval]", "array elements must be constant integers", 1, 19),
        ("open.file.path =~ \"/etc/***\"", "invalid path pattern", 1, 19),
        ("exec.file.name == \"x\" && exec.uid[A] == 0", "register `A` used on `exec.uid`, which is not an iterator field", 1, 26),
        ("exec.file.name == \"x\" && process.pid[A] == 0", "is not an iterator field", 1, 26),
        // macros and variables
        ("exec.file.name in LOOP_A", "is recursive", 1, 19),
        ("exec.file.name != \"\" && BROKEN", "macro `BROKEN` has a syntax error", 1, 25),
        ("exec.file.name == ${nope}", "variable `nope` not found", 1, 19),
        ("exec.file.name == \"a${nope}\"", "variable `nope` not found", 1, 19),
        ("exec.uid == ${seen_args}", "is not an integer", 1, 13),
    ]);

    private static TheoryData<string, string, int, int> Build((string Expression, string Message, int Line, int Column)[] rows)
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var (expression, message, line, column) in rows) data.Add(expression, message, line, column);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Expression_WithError_ReportsMessageAtPosition(string expression, string message, int line, int column)
    {
        var compiled = SeclBinder.Compile(expression, SeclFixtures.Scope());
        Assert.False(compiled.Success);
        var diagnostic = compiled.Diagnostics.FirstOrDefault(d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(diagnostic is not null, $"expected \"{message}\", got: {string.Join(" | ", compiled.Diagnostics)}");
        Assert.Equal((line, column), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void Parser_SeveralErrors_ReportsEachOneWithItsPosition()
    {
        var result = SeclParser.Parse("exec.file.name == @ && exec.uid == \"x\n  && process.pid = 3");
        Assert.True(result.Diagnostics.Length >= 2, string.Join(" | ", result.Diagnostics));
        Assert.Contains(result.Diagnostics, d => d.Line == 1 && d.Column == 19);
        Assert.Contains(result.Diagnostics, d => d.Line == 1 && d.Column == 36);
    }

    [Fact]
    public void Diagnostic_SyntaxError_RendersLikeDatadog()
    {
        var result = SeclParser.Parse("exec.file.name = \"x\"");
        Assert.Equal("syntax error: 1:16: unexpected character \"=\"", result.Diagnostics[0].ToString());
    }
}
