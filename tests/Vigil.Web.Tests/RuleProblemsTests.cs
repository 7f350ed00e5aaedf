using Vigil.Core.Detection;
using Vigil.Web.Rules;

namespace Vigil.Web.Tests;

public sealed class RuleProblemsTests
{
    [Fact]
    public void Parse_BrokenJson_NamesLineAndColumnAndKeepsTheLine()
    {
        const string text = "{\n  \"name\": \"x\",\n  \"queries\": [ oops ]\n}";

        var rule = RuleProblems.Parse(text, out var problem);

        Assert.Null(rule);
        Assert.StartsWith("Not valid rule JSON at line 3, column ", problem!.Message, StringComparison.Ordinal);
        Assert.Equal("  \"queries\": [ oops ]", problem.Snippet);
    }

    [Fact]
    public void Parse_SnakeCaseRule_ReadsEveryPart()
    {
        var rule = RuleProblems.Parse("""{ "name": "n", "method": "new_value", "queries": [ { "name": "a", "query": "*" } ], "group_by": ["host"] }""", out var problem);

        Assert.Null(problem);
        Assert.Equal(DetectionMethod.NewValue, rule!.Method);
        Assert.Equal(["host"], rule.GroupBy);
    }

    [Fact]
    public void Place_QueryErrorWithPosition_PointsAtThatColumnOfThatQuery()
    {
        var rule = new DetectionRuleDefinition { Queries = [new RuleQuery("a", "*"), new RuleQuery("b", "host:(web")] };
        var errors = new Dictionary<string, string[]> { ["queries[1].query"] = ["unbalanced parenthesis opened at 1:6 (at 1:6)"], ["name"] = ["name is required."] };

        var problems = RuleProblems.Place(rule, errors);

        var query = Assert.Single(problems, p => p.Field == "queries[1].query");
        Assert.Equal("host:(web", query.Snippet);
        Assert.Equal(6, query.Column);
        Assert.Equal("     ^", RuleProblems.Caret(query.Column!.Value));
        Assert.Null(Assert.Single(problems, p => p.Field == "name").Column);
    }

    [Fact]
    public void Template_NewRule_RoundTripsThroughTheEditorJson()
    {
        var text = System.Text.Json.JsonSerializer.Serialize(RuleTemplates.NewThreshold, RuleProblems.Json);

        var rule = RuleProblems.Parse(text, out var problem);

        Assert.Null(problem);
        Assert.Equal(RuleTemplates.NewThreshold.Queries, rule!.Queries);
        var (compiled, errors) = DetectionRuleCompiler.Compile(rule, Guid.NewGuid(), 1, DateTime.UtcNow);
        Assert.Empty(errors);
        Assert.NotNull(compiled);
    }
}
