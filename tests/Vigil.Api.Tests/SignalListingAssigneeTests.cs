using System.Net.Http.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Testing;

namespace Vigil.Api.Tests;

/// <summary>The signal listing says who each signal is assigned to (the explorer's assignee column).</summary>
[Collection(ApiCollection.Name)]
public sealed class SignalListingAssigneeTests(ApiFixture api)
{
    [Fact]
    public async Task ListSignals_AssignedSignal_CarriesTheAssigneeAndOthersNone()
    {
        var org = await TestOrganization.CreateAsync(api.Host.Services);
        var signals = await api.AddSignalsAsync(org.Id, 2);
        var responder = api.Client(await api.LoginAsync(org.ResponderEmail, org.Password));
        var me = await responder.GetFromJsonAsync<CurrentUserDto>("api/v2/auth/me", ApiJson.Options);
        using var assign = await responder.PatchAsJsonAsync($"api/v2/signals/{signals[0].Id}/assignee", new UpdateSignalAssigneeRequest(me!.Id), ApiJson.Options);
        assign.EnsureSuccessStatusCode();

        var listed = await responder.GetFromJsonAsync<SignalPage>("api/v2/signals", ApiJson.Options);

        Assert.Equal(org.ResponderEmail, listed!.Data.Single(s => s.Id == signals[0].Id).AssigneeName);
        Assert.Null(listed.Data.Single(s => s.Id == signals[1].Id).AssigneeName);
    }
}
