using Vigil.Core.Contracts.Api;
using Vigil.Web.Rules;

namespace Vigil.Web.Tests;

public sealed class SeclErrorMarksTests
{
    [Fact]
    public void Place_AnErrorAtTheEndOfTheText_IsAPointAfterTheLastCharacter()
    {
        const string expression = "exec.file.name == ";

        var mark = Assert.Single(SeclErrorMarks.Place(expression, [new SeclErrorDto("syntax error: unexpected end", 1, 19, 18, 0)]));

        Assert.Equal((1, 19, "exec.file.name == ", "", ""), (mark.Line, mark.Column, mark.Before, mark.Marked, mark.After));
        Assert.Equal(new string(' ', 18) + "^", mark.Underline);
    }

    [Fact]
    public void Place_ASpanRunningPastItsLine_IsMarkedToTheLineEnd()
    {
        var mark = Assert.Single(SeclErrorMarks.Place("a == 1 &&\nb == 2", [new SeclErrorDto("x", Offset: 5, Length: 20)]));

        Assert.Equal((1, 6, "a == ", "1 &&", ""), (mark.Line, mark.Column, mark.Before, mark.Marked, mark.After));
    }

    [Fact]
    public void FromMessages_ReadsLineAndColumnOutOfTheSavesMessage_AndKeepsUnplacedOnes()
    {
        var marks = SeclErrorMarks.FromMessages("a == 1 &&\n  b ==", ["rule `r1` error: syntax error: 2:7: unexpected end", "the policy is too big"]);

        Assert.Equal((2, 7, "  b ==", ""), (marks[0].Line, marks[0].Column, marks[0].Before, marks[0].Marked));
        Assert.Equal(("the policy is too big", null), (marks[1].Message, marks[1].Line));
    }

    [Fact]
    public void Place_AnErrorWithoutOffset_IsPlacedByTheLineAndColumnItsMessageNames()
    {
        var mark = Assert.Single(SeclErrorMarks.Place("open.file.path == ", [new SeclErrorDto("syntax error: 1:19: unexpected end")]));

        Assert.Equal((1, 19), (mark.Line, mark.Column));
    }
}
