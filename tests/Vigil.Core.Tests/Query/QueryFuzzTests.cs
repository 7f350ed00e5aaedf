using System.Text;
using Vigil.Core.Query.Evaluation;
using Vigil.Core.Query.Syntax;

namespace Vigil.Core.Tests.Query;

/// <summary>Random, mutated and truncated queries (fixed seeds, bounded loops): the parser answers, never throws.</summary>
public sealed class QueryFuzzTests
{
    private static readonly string[] Fragments =
    [
        "a", "web", "host", "@x.y", "@process.ancestors.file.name", ":", "(", ")", "[", "]", "{", "}", "TO", "AND", "OR",
        "NOT", "-", "\"", "\\", "*", "?", ">", ">=", "<", "<=", " ", " ", " ", "\n", "web-*", "1", "-5", "\"q s\"", "@",
        ".", "é", "\t", "\\:", "\\\"", "=", "!", "😀", "\0",
    ];

    private static readonly string[] ValidQueries =
    [
        "@agent.rule_id:(shell_spawned OR shell_spawned_v2) host:web-* -@process.file.name:ansible",
        "@process.pid:[100 TO 200} OR (@x:>=5 AND NOT env:\"prod eu\")",
        "@file.path:/etc/* @process.ancestors.file.name:(sudo OR NOT bash) status:(high OR critical)",
        "a\\:b \"quoted \\\" phrase\" -(c OR d) @y:{* TO 9]",
    ];

    private static readonly IQueryDocument[] Documents =
        [QueryTestDocuments.Exec, QueryTestDocuments.Open, QueryTestDocuments.Dns, QueryTestDocuments.Signal];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Parse_RandomFragmentSoup_AlwaysAnswersConsistently(int seed)
    {
        var random = new Random(seed);
        RunBounded(() =>
        {
            for (var i = 0; i < 3000; i++)
            {
                var builder = new StringBuilder();
                var count = random.Next(0, 30);
                for (var j = 0; j < count; j++)
                {
                    builder.Append(Fragments[random.Next(Fragments.Length)]);
                }

                Check(builder.ToString());
            }
        });
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Parse_RandomCharacters_AlwaysAnswersConsistently(int seed)
    {
        var random = new Random(seed);
        RunBounded(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var chars = new char[random.Next(0, 60)];
                for (var j = 0; j < chars.Length; j++)
                {
                    chars[j] = random.Next(4) == 0 ? (char)random.Next(0, 0xFFFF) : (char)random.Next(32, 127);
                }

                Check(new string(chars));
            }
        });
    }

    [Fact]
    public void Parse_EveryPrefixAndSuffixOfValidQueries_AlwaysAnswersConsistently()
    {
        RunBounded(() =>
        {
            foreach (var query in ValidQueries)
            {
                Assert.True(QueryParser.Parse(query).Success, query);
                for (var i = 0; i <= query.Length; i++)
                {
                    Check(query[..i]);
                    Check(query[i..]);
                }
            }
        });
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Parse_MutatedValidQueries_AlwaysAnswersConsistently(int seed)
    {
        var random = new Random(seed);
        RunBounded(() =>
        {
            for (var i = 0; i < 3000; i++)
            {
                var builder = new StringBuilder(ValidQueries[random.Next(ValidQueries.Length)]);
                var edits = random.Next(1, 4);
                for (var e = 0; e < edits && builder.Length > 0; e++)
                {
                    var at = random.Next(builder.Length);
                    switch (random.Next(3))
                    {
                        case 0:
                            builder.Remove(at, 1);
                            break;
                        case 1:
                            builder.Insert(at, Fragments[random.Next(Fragments.Length)]);
                            break;
                        default:
                            builder[at] = Fragments[random.Next(Fragments.Length)][0];
                            break;
                    }
                }

                Check(builder.ToString());
            }
        });
    }

    [Fact]
    public void Parse_SameInputTwice_GivesSameDiagnostics()
    {
        const string text = "a OR (b @x:[1 5] \"c";

        var first = QueryParser.Parse(text);
        var second = QueryParser.Parse(text);

        Assert.Equal(first.Diagnostics.Select(d => d.ToString()), second.Diagnostics.Select(d => d.ToString()));
        Assert.NotEmpty(first.Diagnostics);
    }

    private static void Check(string text)
    {
        var result = QueryParser.Parse(text);

        if (result.Success)
        {
            Assert.Empty(result.Diagnostics);
            var compiled = QueryCompiler.Compile(result.Query);
            foreach (var document in Documents)
            {
                compiled.Matches(document);
            }

            Assert.NotNull(QuerySyntaxPrinter.Print(result.Query));
            return;
        }

        Assert.NotEmpty(result.Diagnostics);
        foreach (var diagnostic in result.Diagnostics)
        {
            Assert.InRange(diagnostic.Start, 0, text.Length);
            Assert.InRange(diagnostic.Length, 0, text.Length - diagnostic.Start);
            Assert.True(diagnostic.Line >= 1 && diagnostic.Column >= 1, $"position {diagnostic} for {text}");
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        }
    }

    /// <summary>Runs the loop on the thread pool and fails (instead of hanging the run) if it takes over a minute.</summary>
    private static void RunBounded(Action action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(TimeSpan.FromMinutes(1)), "the parser did not finish in time");
    }
}
