using Vigil.Web.Clients;
using Vigil.Web.Search;

namespace Vigil.Web.Tests;

public sealed class ApiProblemTests
{
    [Fact]
    public void From_ValidationProblem_KeepsEveryFieldError()
    {
        const string body = """{"title":"One or more validation errors occurred.","status":400,"errors":{"query":["unexpected end of query (at 1:12)"],"from":["from must be before to."]}}""";

        var problem = ApiProblemException.From(400, body);

        Assert.Equal(["query: unexpected end of query (at 1:12)", "from: from must be before to."], problem.Lines);
    }

    [Fact]
    public void From_ConflictWithDetail_UsesTheDetail()
    {
        var problem = ApiProblemException.From(409, """{"title":"Conflict","detail":"The signal changed since version 3."}""");

        Assert.Equal(["The signal changed since version 3."], problem.Lines);
    }

    [Fact]
    public void From_BodyThatIsNotJson_GivesAReadableMessage()
    {
        Assert.Equal(["Not found (it may have been deleted)."], ApiProblemException.From(404, "<html>").Lines);
    }

    [Fact]
    public void ExplorerUrl_WholeState_RoundTripsThroughTheAddress()
    {
        var id = Guid.NewGuid();
        var url = new ExplorerUrl("signals", "host:\"a b\" status:high", "now-4h", null, id, "rule").ToRelative();

        Assert.Equal($"signals?q=host%3A%22a%20b%22%20status%3Ahigh&from=now-4h&signal={id}&group=rule", url);
    }

    [Theory]
    [InlineData("now-15m", null, "Past 15 minutes")]
    [InlineData(null, null, "Past 1 day")]
    [InlineData("2026-11-01T00:00:00Z", "2026-11-02T12:30:00Z", "2026-11-01 00:00 UTC → 2026-11-02 12:30 UTC")]
    public void TimeRangeLabel_PresetOrAbsolute_ReadsNaturally(string? from, string? to, string label)
    {
        Assert.Equal(label, TimeRangePresets.Label(from, to));
    }
}
