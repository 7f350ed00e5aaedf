using Vigil.Core.Query;
using Vigil.Core.Query.Syntax;

namespace Vigil.Core.Tests.Query;

public sealed class QueryParserTests
{
    [Theory]
    // terms and values
    [InlineData("foo", "text:foo")]
    [InlineData("\"foo bar\"", "text:\"foo bar\"")]
    [InlineData("*", "ALL")]
    [InlineData("", "ALL")]
    [InlineData("   ", "ALL")]
    [InlineData("foo*", "text:foo*")]
    [InlineData("a-b", "text:a-b")]
    [InlineData("TO", "text:TO")]
    [InlineData("and or not", "(AND text:and text:or text:not)")]
    [InlineData("a\\ b", "text:a\\ b")]
    [InlineData("a\\(b\\)", "text:a\\(b\\)")]
    [InlineData("\"quoted\" word", "(AND text:\"quoted\" text:word)")]
    [InlineData("host:web-1", "host:web-1")]
    [InlineData("host:web-*", "host:web-*")]
    [InlineData("host:web?1", "host:web?1")]
    [InlineData("HOST:web", "host:web")]
    [InlineData("service:api env:prod", "(AND service:api env:prod)")]
    [InlineData("source:runtime-security-agent", "source:runtime-security-agent")]
    [InlineData("status:high", "status:high")]
    [InlineData("rule:\"Shell spawned\"", "rule:\"Shell spawned\"")]
    [InlineData("team:payments", "#team:payments")]
    [InlineData("Team:x", "#team:x")]
    [InlineData("@agent.rule_id:shell_spawned", "@agent.rule_id:shell_spawned")]
    [InlineData("@Process.Name:x", "@Process.Name:x")]
    [InlineData("@file.path:/etc/*", "@file.path:/etc/*")]
    [InlineData("@process.ancestors.file.name:bash", "@process.ancestors.file.name:bash")]
    [InlineData("@dns.question.name:*.evil.com", "@dns.question.name:*.evil.com")]
    [InlineData("@network.destination.ip:10.0.0.*", "@network.destination.ip:10.0.0.*")]
    [InlineData("@container.id:*", "@container.id:*")]
    [InlineData("@x:true", "@x:true")]
    [InlineData("@x:TO", "@x:TO")]
    [InlineData("@x: value", "@x:value")]
    [InlineData("@x:\"a b\"", "@x:\"a b\"")]
    [InlineData("@x:\"say \\\"hi\\\"\"", "@x:\"say \\\"hi\\\"\"")]
    [InlineData("@x:a\\:b", "@x:a\\:b")]
    [InlineData("@url:http\\://x", "@url:http\\://x")]
    [InlineData("@x:a\\*b", "@x:a\\*b")]
    [InlineData("@x:-5", "@x:-5")]
    [InlineData("@x:a[1]", "@x:a[1]")]
    [InlineData("@x:\\[1]", "@x:\\[1]")]
    // comparisons and ranges
    [InlineData("@process.pid:>1000", "@process.pid:>1000")]
    [InlineData("@process.pid:>=1000", "@process.pid:>=1000")]
    [InlineData("@process.pid:<10", "@process.pid:<10")]
    [InlineData("@process.pid:<=10", "@process.pid:<=10")]
    [InlineData("@x:>-5", "@x:>-5")]
    [InlineData("@x:>\"2024-01-01\"", "@x:>\"2024-01-01\"")]
    [InlineData("@x:>2024-01-01", "@x:>2024-01-01")]
    [InlineData("@x:[1 TO 5]", "@x:[1 TO 5]")]
    [InlineData("@x:{1 TO 5}", "@x:{1 TO 5}")]
    [InlineData("@x:[1 TO 5}", "@x:[1 TO 5}")]
    [InlineData("@x:{1 TO 5]", "@x:{1 TO 5]")]
    [InlineData("@x:[* TO 5]", "@x:[* TO 5]")]
    [InlineData("@x:[10 TO *]", "@x:[10 TO *]")]
    [InlineData("@x:[-5 TO -1]", "@x:[-5 TO -1]")]
    [InlineData("@x:[a TO m]", "@x:[a TO m]")]
    [InlineData("@x:[\"a b\" TO \"c d\"]", "@x:[\"a b\" TO \"c d\"]")]
    // boolean structure and precedence
    [InlineData("a b", "(AND text:a text:b)")]
    [InlineData("a AND b", "(AND text:a text:b)")]
    [InlineData("a OR b", "(OR text:a text:b)")]
    [InlineData("a OR b c", "(OR text:a (AND text:b text:c))")]
    [InlineData("a b OR c", "(OR (AND text:a text:b) text:c)")]
    [InlineData("a AND b OR c AND d", "(OR (AND text:a text:b) (AND text:c text:d))")]
    [InlineData("a OR b AND c", "(OR text:a (AND text:b text:c))")]
    [InlineData("(a OR b) c", "(AND (OR text:a text:b) text:c)")]
    [InlineData("(a b) OR (c d)", "(OR (AND text:a text:b) (AND text:c text:d))")]
    [InlineData("a OR b OR c", "(OR text:a text:b text:c)")]
    [InlineData("a AND b AND c", "(AND text:a text:b text:c)")]
    [InlineData("a b c", "(AND text:a text:b text:c)")]
    [InlineData("a AND b c", "(AND text:a text:b text:c)")]
    [InlineData("((a))", "text:a")]
    [InlineData("a\nOR b", "(OR text:a text:b)")]
    [InlineData("NOT a", "(NOT text:a)")]
    [InlineData("-a", "(NOT text:a)")]
    [InlineData("-host:web-1", "(NOT host:web-1)")]
    [InlineData("NOT a b", "(AND (NOT text:a) text:b)")]
    [InlineData("NOT (a OR b)", "(NOT (OR text:a text:b))")]
    [InlineData("-(a OR b)", "(NOT (OR text:a text:b))")]
    [InlineData("a OR NOT b", "(OR text:a (NOT text:b))")]
    [InlineData("NOT NOT a", "(NOT (NOT text:a))")]
    [InlineData("--a", "(NOT (NOT text:a))")]
    [InlineData("NOT @x:*", "(NOT @x:*)")]
    [InlineData("@a:1 @b:2 OR @c:3", "(OR (AND @a:1 @b:2) @c:3)")]
    // value groups
    [InlineData("@agent.rule_id:(a OR b OR c)", "@agent.rule_id:(OR a b c)")]
    [InlineData("@x:(a b)", "@x:(AND a b)")]
    [InlineData("@x:(a AND b)", "@x:(AND a b)")]
    [InlineData("@x:(NOT a)", "@x:(NOT a)")]
    [InlineData("@x:(NOT a AND b)", "@x:(AND (NOT a) b)")]
    [InlineData("@x:(a OR (b AND c))", "@x:(OR a (AND b c))")]
    [InlineData("@x:(a)", "@x:a")]
    [InlineData("@x:(-5 OR 7)", "@x:(OR -5 7)")]
    [InlineData("@x:(>5 OR <1)", "@x:(OR >5 <1)")]
    [InlineData("@x:([1 TO 2] OR [5 TO 6])", "@x:(OR [1 TO 2] [5 TO 6])")]
    [InlineData("@x:(\"a b\" OR c*)", "@x:(OR \"a b\" c*)")]
    [InlineData("-@x:(a OR b)", "(NOT @x:(OR a b))")]
    [InlineData("@x:(a OR b) OR @y:c", "(OR @x:(OR a b) @y:c)")]
    [InlineData("@evt.name:(exec OR open) @process.pid:[100 TO 200]", "(AND @evt.name:(OR exec open) @process.pid:[100 TO 200])")]
    [InlineData(
        "@agent.rule_id:(shell_spawned OR shell_spawned_v2) host:web-* -@process.file.name:ansible",
        "(AND @agent.rule_id:(OR shell_spawned shell_spawned_v2) host:web-* (NOT @process.file.name:ansible))")]
    [InlineData(
        "@agent.rule_id:(cryptominer_args OR windows_cryptominer_process) -@process.executable.path:\"/usr/bin/grep\"",
        "(AND @agent.rule_id:(OR cryptominer_args windows_cryptominer_process) (NOT @process.executable.path:\"/usr/bin/grep\"))")]
    public void Parse_ValidQuery_HasExpectedStructure(string text, string expected)
    {
        var result = QueryParser.Parse(text);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Success);
        Assert.Equal(expected, QuerySyntaxPrinter.Print(result.Query));
    }

    [Theory]
    [InlineData("host:", "1:6", "expected a value after 'host:'")]
    [InlineData("host:)", "1:6", "expected a value after 'host:'")]
    [InlineData("host: OR a", "1:7", "expected a value after 'host:'")]
    [InlineData("a\nhost:", "2:6", "expected a value after 'host:'")]
    [InlineData("(a OR b", "1:1", "unbalanced parenthesis opened at 1:1")]
    [InlineData("a (b", "1:3", "unbalanced parenthesis opened at 1:3")]
    [InlineData("a OR (b AND (c)", "1:6", "unbalanced parenthesis opened at 1:6")]
    [InlineData("a\n(b", "2:1", "unbalanced parenthesis opened at 2:1")]
    [InlineData("a)", "1:2", "unexpected ')' without a matching '('")]
    [InlineData(")", "1:1", "unexpected ')' without a matching '('")]
    [InlineData("@x:[1 TO 5] )", "1:13", "unexpected ')' without a matching '('")]
    [InlineData("@x:[1 5]", "1:7", "range needs 'TO' between its bounds, as in '[1 TO 5]'")]
    [InlineData("@x:[1TO5]", "1:9", "range needs 'TO' between its bounds, as in '[1 TO 5]'")]
    [InlineData("@x:[1 TO 5", "1:4", "range opened at 1:4 needs ']' or '}' to close it")]
    [InlineData("@x:[ TO 5]", "1:6", "expected a lower bound after '['")]
    [InlineData("@x:{]", "1:5", "expected a lower bound after '{'")]
    [InlineData("@x:[1 TO ]", "1:10", "expected an upper bound after 'TO'")]
    [InlineData("@x:{1 TO", "1:9", "expected an upper bound after 'TO'")]
    [InlineData("@x:[1* TO 5]", "1:5", "a range bound cannot contain wildcards")]
    [InlineData("a OR", "1:3", "'OR' needs a term on both sides")]
    [InlineData("OR a", "1:1", "'OR' needs a term on both sides")]
    [InlineData("a OR OR b", "1:3", "'OR' needs a term on both sides")]
    [InlineData("(OR a)", "1:2", "'OR' needs a term on both sides")]
    [InlineData("a OR\n", "1:3", "'OR' needs a term on both sides")]
    [InlineData("@x:(a OR", "1:7", "'OR' needs a term on both sides")]
    [InlineData("a AND", "1:3", "'AND' needs a term on both sides")]
    [InlineData("AND a", "1:1", "'AND' needs a term on both sides")]
    [InlineData("a AND OR b", "1:3", "'AND' needs a term on both sides")]
    [InlineData("NOT", "1:1", "'NOT' needs a term after it")]
    [InlineData("a NOT", "1:3", "'NOT' needs a term after it")]
    [InlineData("a -", "1:3", "'-' needs a term right after it, as in '-host:web-1'")]
    [InlineData("- a", "1:1", "'-' needs a term right after it, as in '-host:web-1'")]
    [InlineData("\"abc", "1:1", "unterminated quoted string started at 1:1")]
    [InlineData("host:\"web", "1:6", "unterminated quoted string started at 1:6")]
    [InlineData("\"a\" \"b", "1:5", "unterminated quoted string started at 1:5")]
    [InlineData("abc\\", "1:4", "'\\' at the end of the query escapes nothing")]
    [InlineData("@x:>", "1:5", "comparison '>' needs a value")]
    [InlineData("@x:>=)", "1:6", "comparison '>=' needs a value")]
    [InlineData("@x:>1*", "1:5", "a comparison value cannot contain wildcards")]
    [InlineData(">5", "1:1", "a comparison needs an attribute, as in '@attr:>5'")]
    [InlineData("a <=3", "1:3", "a comparison needs an attribute, as in '@attr:<=5'")]
    [InlineData("[1 TO 5]", "1:1", "a range needs an attribute, as in '@attr:[1 TO 5]'")]
    [InlineData("@:x", "1:1", "attribute name missing after '@'")]
    [InlineData("@a..b:x", "1:1", "attribute path '@a..b' has an empty segment")]
    [InlineData("@a.:x", "1:1", "attribute path '@a.' has an empty segment")]
    [InlineData(":foo", "1:1", "unexpected ':'; escape a colon inside a value as '\\:' or quote the value")]
    [InlineData("a:b:c", "1:4", "unexpected ':'; escape a colon inside a value as '\\:' or quote the value")]
    [InlineData("@x:(a:b)", "1:6", "unexpected ':'; escape a colon inside a value as '\\:' or quote the value")]
    [InlineData("()", "1:1", "empty parentheses: expected a term inside '()'")]
    [InlineData("@x:()", "1:4", "empty parentheses: expected a term inside '()'")]
    [InlineData("a ]", "1:3", "unexpected ']' without a range to close")]
    [InlineData("a }", "1:3", "unexpected '}' without a range to close")]
    public void Parse_InvalidQuery_ReportsMessageAtPosition(string text, string position, string message)
    {
        var result = QueryParser.Parse(text);

        Assert.Null(result.Query);
        Assert.NotEmpty(result.Diagnostics);
        var first = result.Diagnostics[0];
        Assert.Equal(message, first.Message);
        Assert.Equal(position, $"{first.Line}:{first.Column}");
    }

    [Fact]
    public void Parse_SeveralErrors_ReportsEachAndRecovers()
    {
        var result = QueryParser.Parse("@x:[1 5] a OR (b c:");

        Assert.Null(result.Query);
        Assert.Equal(
            ["1:7: range needs 'TO' between its bounds, as in '[1 TO 5]'", "1:20: expected a value after 'c:'", "1:15: unbalanced parenthesis opened at 1:15"],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("a OR host:", "1:11: expected a value after 'host:'")]
    [InlineData("NOT host:", "1:10: expected a value after 'host:'")]
    [InlineData("a AND @x:[1 5]", "1:13: range needs 'TO' between its bounds, as in '[1 TO 5]'")]
    [InlineData("-@x:>", "1:6: comparison '>' needs a value")]
    public void Parse_BrokenOperand_ReportsOnlyTheOperandError(string text, string expected)
    {
        var result = QueryParser.Parse(text);

        Assert.Equal(expected, Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Parse_Diagnostic_CarriesOffsetAndLength()
    {
        var result = QueryParser.Parse("a OR\n  \"unterminated");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(7, diagnostic.Start);
        Assert.Equal(13, diagnostic.Length);
        Assert.Equal((2, 3), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void Parse_TooLongQuery_ReportsLengthLimitAtTheLimit()
    {
        var result = QueryParser.Parse(new string('a', 8 * 1024 + 10));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("query is longer than the limit of 8192 characters", diagnostic.Message);
        Assert.Equal(8192, diagnostic.Start);
        Assert.Equal(10, diagnostic.Length);
    }

    [Theory]
    [InlineData("", "(", ")")]
    [InlineData("", "NOT ", "")]
    [InlineData("", "-", "")]
    [InlineData("@x:", "(", ")")]
    [InlineData("@x:", "(NOT ", ")")]
    public void Parse_DeepNesting_ReportsDepthLimitWithoutOverflow(string prefix, string open, string close)
    {
        var options = new QueryParserOptions { MaxLength = 1_000_000 };
        var text = prefix + string.Concat(Enumerable.Repeat(open, 5000)) + "a" + string.Concat(Enumerable.Repeat(close, 5000));

        var result = QueryParser.Parse(text, options);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("nesting is deeper than the limit of 64 levels", diagnostic.Message);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsAccepted()
    {
        var text = new string('(', 64) + "a" + new string(')', 64);

        var result = QueryParser.Parse(text);

        Assert.True(result.Success);
        Assert.Equal("text:a", QuerySyntaxPrinter.Print(result.Query));
    }

    [Fact]
    public void Parse_TooManyTerms_ReportsTermLimitAtTheFirstExtraTerm()
    {
        var text = string.Join(' ', Enumerable.Repeat("ab", 1100));

        var result = QueryParser.Parse(text);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("query has more than the limit of 1024 terms", diagnostic.Message);
        Assert.Equal(1024 * 3, diagnostic.Start);
    }

    [Fact]
    public void Parse_WallOfErrors_StopsAfterFiftyDiagnostics()
    {
        var result = QueryParser.Parse(string.Join(' ', Enumerable.Repeat(":", 4000)));

        Assert.Equal(51, result.Diagnostics.Length);
        Assert.Equal("too many errors; stopped after 50", result.Diagnostics[^1].Message);
        Assert.Equal(100, result.Diagnostics[^1].Start);
    }

    [Fact]
    public void Parse_CustomLimits_AreApplied()
    {
        var options = new QueryParserOptions { MaxLength = 10, MaxDepth = 2, MaxTerms = 2 };

        Assert.Equal("query is longer than the limit of 10 characters", QueryParser.Parse("aaaaaaaaaaaa", options).Diagnostics[0].Message);
        Assert.Equal("nesting is deeper than the limit of 2 levels", QueryParser.Parse("(((a)))", options).Diagnostics[0].Message);
        Assert.Equal("query has more than the limit of 2 terms", QueryParser.Parse("a b c", options).Diagnostics[0].Message);
        Assert.True(QueryParser.Parse("((a)) b", options).Success);
    }

    [Fact]
    public void Parse_Null_IsTheEmptyQuery()
    {
        var result = QueryParser.Parse(null);

        Assert.True(result.Success);
        Assert.IsType<MatchAllNode>(result.Query);
    }

    [Fact]
    public void Parse_FieldTerm_HasSpansOfFieldAndWholeTerm()
    {
        var result = QueryParser.Parse("a @process.pid:>10");

        var and = Assert.IsType<AndNode>(result.Query);
        var term = Assert.IsType<FieldTermNode>(and.Operands[1]);
        Assert.Equal(new QuerySpan(2, 12), term.FieldSpan);
        Assert.Equal(new QuerySpan(2, 16), term.Span);
        Assert.Equal(new QuerySpan(0, 18), and.Span);
        Assert.Equal(QueryField.Attribute("process.pid"), term.Field);
    }

    [Fact]
    public void Parse_EscapesInWordsAndPhrases_AreRemovedFromText()
    {
        var result = QueryParser.Parse("@x:a\\:b\\*");

        var term = Assert.IsType<FieldTermNode>(result.Query);
        var word = Assert.IsType<WordValue>(term.Value);
        Assert.Equal("a:b*", word.Text);
        Assert.False(word.HasWildcards);
    }

    [Fact]
    public void Parse_SameQueryTwice_GivesEqualTreesForScalarNodes()
    {
        var first = Assert.IsType<FieldTermNode>(QueryParser.Parse("host:web-1").Query);
        var second = Assert.IsType<FieldTermNode>(QueryParser.Parse("host:web-1").Query);

        Assert.Equal(first, second);
    }
}
