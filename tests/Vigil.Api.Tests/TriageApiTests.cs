using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>Triage through the API: the workflow, roles, tenancy, conflicts and the change history.</summary>
[Collection(ApiCollection.Name)]
public sealed class TriageApiTests(ApiFixture api)
{
    private async Task<(TestOrganization Org, Guid SignalId, HttpClient Responder)> ArrangeAsync()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var signal = (await api.AddSignalsAsync(org.Id, 1))[0];
        return (org, signal.Id, api.Client(await api.LoginAsync(org.ResponderEmail, org.Password)));
    }

    [Fact]
    public async Task Responder_ReviewsThenArchivesWithAReason_AndTheHistorySaysWhoDidWhat()
    {
        var (org, id, responder) = await ArrangeAsync();

        using var review = await responder.PatchAsJsonAsync($"api/v2/signals/{id}/state", new UpdateSignalStateRequest("under_review"), ApiJson.Options);
        var reviewed = await review.Content.ReadFromJsonAsync<SignalTriageDto>(ApiJson.Options);
        using var archive = await responder.PatchAsJsonAsync($"api/v2/signals/{id}/state",
            new UpdateSignalStateRequest("archived", "false_positive", "ansible run", reviewed!.Version), ApiJson.Options);
        var archived = await archive.Content.ReadFromJsonAsync<SignalTriageDto>(ApiJson.Options);
        var history = await responder.GetFromJsonAsync<List<SignalChangeDto>>($"api/v2/signals/{id}/history", ApiJson.Options);
        var listed = await responder.GetFromJsonAsync<SignalPage>("api/v2/signals", ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Equal(("under_review", 2), (reviewed.Status, reviewed.Version));
        Assert.Equal(("archived", "false_positive", "ansible run", 3), (archived!.Status, archived.ArchiveReason, archived.ArchiveComment, archived.Version));
        // Changes made by one request share its timestamp; their order among themselves is not specified.
        Assert.Equal(("state", "open", "under_review"), (history![0].Field, history[0].OldValue, history[0].NewValue));
        Assert.Equivalent(
            new[] { ("state", "under_review", "archived"), ("archive_reason", (string?)null, "false_positive") },
            history.Skip(1).Select(h => (h.Field, h.OldValue, h.NewValue)).ToArray(), strict: true);
        Assert.All(history!, h => Assert.Equal(org.ResponderEmail, h.Actor));
        Assert.Equal("archived", listed!.Data.Single().Status);
    }

    [Fact]
    public async Task StaleVersion_Is409AndChangesNothing()
    {
        var (_, id, responder) = await ArrangeAsync();
        using var first = await responder.PatchAsJsonAsync($"api/v2/signals/{id}/state", new UpdateSignalStateRequest("under_review", Version: 1), ApiJson.Options);

        using var second = await responder.PatchAsJsonAsync($"api/v2/signals/{id}/state", new UpdateSignalStateRequest("archived", Version: 1), ApiJson.Options);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var triage = await responder.GetFromJsonAsync<SignalTriageDto>($"api/v2/signals/{id}/triage", ApiJson.Options);
        Assert.Equal("under_review", triage!.Status);
    }

    [Theory]
    [InlineData("{\"state\":\"closed\"}", "state")]
    [InlineData("{\"state\":\"archived\",\"archive_reason\":\"because\"}", "archive_reason")]
    [InlineData("{\"state\":\"open\",\"archive_reason\":\"false_positive\"}", "archive_reason")]
    public async Task InvalidStateChange_Is400NamingTheField_AndSavesNothing(string body, string field)
    {
        var (org, id, responder) = await ArrangeAsync();

        using var response = await responder.PatchAsync($"api/v2/signals/{id}/state", AgentBatches.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
        await using var scope = api.Host.CreateScope(org.Id, out var db);
        Assert.Empty(await db.SignalChanges.ToListAsync());
        Assert.Equal(1, (await db.Signals.SingleAsync()).Version);
    }

    [Fact]
    public async Task ReadOnlyUserAndReadOnlyKey_CannotTriage()
    {
        var (org, id, _) = await ArrangeAsync();
        using var readOnly = api.Client(await api.LoginAsync(org.ReadOnlyEmail, org.Password));
        using var readOnlyKey = api.Client(org.ApplicationKey);

        foreach (var http in new[] { readOnly, readOnlyKey })
        {
            using var state = await http.PatchAsJsonAsync($"api/v2/signals/{id}/state", new UpdateSignalStateRequest("archived"), ApiJson.Options);
            using var comment = await http.PostAsJsonAsync($"api/v2/signals/{id}/comments", new AddSignalCommentRequest("hi"), ApiJson.Options);
            using var history = await http.GetAsync($"api/v2/signals/{id}/history");

            Assert.Equal(HttpStatusCode.Forbidden, state.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, comment.StatusCode);
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        }
    }

    [Fact]
    public async Task AnotherOrganization_CannotReadOrTriageTheSignal()
    {
        var (_, id, _) = await ArrangeAsync();
        var other = await TestOrganization.CreateAsync(api.Host.Services);
        using var outsider = api.Client(await api.LoginAsync(other.AdminEmail, other.Password));

        using var state = await outsider.PatchAsJsonAsync($"api/v2/signals/{id}/state", new UpdateSignalStateRequest("archived"), ApiJson.Options);
        using var comment = await outsider.PostAsJsonAsync($"api/v2/signals/{id}/comments", new AddSignalCommentRequest("hi"), ApiJson.Options);
        using var history = await outsider.GetAsync($"api/v2/signals/{id}/history");
        using var triage = await outsider.GetAsync($"api/v2/signals/{id}/triage");

        Assert.Equal(HttpStatusCode.NotFound, state.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, comment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, triage.StatusCode);
    }

    [Fact]
    public async Task Assignee_MustBeAUserOfTheSameOrganization()
    {
        var (org, id, responder) = await ArrangeAsync();
        var other = await TestOrganization.CreateAsync(api.Host.Services);
        var me = await responder.GetFromJsonAsync<CurrentUserDto>("api/v2/auth/me", ApiJson.Options);
        using var otherAdmin = api.Client(await api.LoginAsync(other.AdminEmail, other.Password));
        var outsiderId = (await otherAdmin.GetFromJsonAsync<CurrentUserDto>("api/v2/auth/me", ApiJson.Options))!.Id;

        using var assignOutsider = await responder.PatchAsJsonAsync($"api/v2/signals/{id}/assignee", new UpdateSignalAssigneeRequest(outsiderId), ApiJson.Options);
        using var assignMe = await responder.PatchAsJsonAsync($"api/v2/signals/{id}/assignee", new UpdateSignalAssigneeRequest(me!.Id), ApiJson.Options);
        var triage = await assignMe.Content.ReadFromJsonAsync<SignalTriageDto>(ApiJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, assignOutsider.StatusCode);
        Assert.Equal(HttpStatusCode.OK, assignMe.StatusCode);
        Assert.Equal((me.Id, org.ResponderEmail), (triage!.AssigneeId!.Value, triage.AssigneeName));
    }

    [Fact]
    public async Task Comments_AreListedInOrderWithTheirAuthors()
    {
        var (org, id, responder) = await ArrangeAsync();

        using var first = await responder.PostAsJsonAsync($"api/v2/signals/{id}/comments", new AddSignalCommentRequest("looks like a deploy"), ApiJson.Options);
        using var second = await responder.PostAsJsonAsync($"api/v2/signals/{id}/comments", new AddSignalCommentRequest("confirmed with ops"), ApiJson.Options);
        using var empty = await responder.PostAsJsonAsync($"api/v2/signals/{id}/comments", new AddSignalCommentRequest("  "), ApiJson.Options);
        var comments = await responder.GetFromJsonAsync<List<SignalCommentDto>>($"api/v2/signals/{id}/comments", ApiJson.Options);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(["looks like a deploy", "confirmed with ops"], comments!.Select(c => c.Text));
        Assert.All(comments!, c => Assert.Equal(org.ResponderEmail, c.Author));
    }

    [Fact]
    public async Task ArchivedSignalOlderThan30Days_CannotBeReopened()
    {
        var (org, id, responder) = await ArrangeAsync();
        await using (var scope = api.Host.CreateScope(org.Id, out var db))
        {
            var signal = await db.Signals.SingleAsync();
            signal.FirstSeen = DateTime.UtcNow.AddDays(-31);
            signal.TriageState = Core.Domain.TriageState.Archived;
            await db.SaveChangesAsync();
        }

        using var reopen = await responder.PatchAsJsonAsync($"api/v2/signals/{id}/state", new UpdateSignalStateRequest("open"), ApiJson.Options);

        Assert.Equal(HttpStatusCode.Conflict, reopen.StatusCode);
        Assert.Contains("30 days", await reopen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
