using Microsoft.EntityFrameworkCore;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;
using Vigil.Ingest.Detection;
using Vigil.Testing;

namespace Vigil.Ingest.Tests.Detection;

/// <summary>The batch's one-statement updates of detection states and signals, on PostgreSQL, with their version checks.</summary>
public sealed class DetectionRowUpdatesTests(DetectionFixture fixture) : IClassFixture<DetectionFixture>
{
    [Fact]
    public async Task ChangedStatesAndSignals_WrittenInOneStatementEach_AndLeftOutOfSaveChanges()
    {
        var (org, _) = await fixture.OrganizationAsync();
        var (ruleId, signalId) = await SeedAsync(org);

        await using (var scope = fixture.Ingest.CreateScope(org.Id, out var db))
        {
            var (state, signal) = await LoadAsync(db, ruleId, signalId);
            state.StateJson = """{"changed":true}""";
            state.Version++;
            state.UpdatedAt = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
            signal.EventCount = 7;
            signal.LastSeen = new DateTime(2026, 11, 29, 12, 0, 1, DateTimeKind.Utc);
            signal.Severity = Severity.Critical;
            signal.Reason = "a=7";

            await DetectionRowUpdates.WriteAsync(db, org.Id, CancellationToken.None);

            Assert.Equal(EntityState.Unchanged, db.Entry(state).State);
            Assert.Equal(EntityState.Unchanged, db.Entry(signal).State);
            Assert.Equal(0, await db.SaveChangesAsync());
        }

        await using (var scope = fixture.Ingest.CreateScope(org.Id, out var db))
        {
            var (state, signal) = await LoadAsync(db, ruleId, signalId);
            Assert.Equal(("""{"changed":true}""", 2, new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc)), (state.StateJson, state.Version, state.UpdatedAt));
            Assert.Equal((7, Severity.Critical, "a=7", 1), (signal.EventCount, signal.Severity, signal.Reason, signal.Version));
            Assert.Equal(new DateTime(2026, 11, 29, 12, 0, 1, DateTimeKind.Utc), signal.LastSeen);
        }
    }

    [Fact]
    public async Task SignalTriagedSinceLoaded_WholeWriteRefused_AndNothingChanged()
    {
        var (org, _) = await fixture.OrganizationAsync();
        var (ruleId, signalId) = await SeedAsync(org);

        await using var scope = fixture.Ingest.CreateScope(org.Id, out var db);
        var (state, signal) = await LoadAsync(db, ruleId, signalId);
        state.StateJson = """{"changed":true}""";
        state.Version++;
        signal.EventCount = 7;
        // Someone triages the signal in between (the API bumps its version).
        await using (var other = fixture.Ingest.CreateScope(org.Id, out var otherDb))
            await otherDb.Signals.Where(s => s.Id == signalId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Version, 2));

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var refused = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => DetectionRowUpdates.WriteAsync(db, org.Id, CancellationToken.None));
            Assert.Contains("1 of 1 signal rows changed", refused.Message, StringComparison.Ordinal);
        } // the batch's transaction rolls back, the state update with it

        await using var check = fixture.Ingest.CreateScope(org.Id, out var checkDb);
        var (stateAfter, signalAfter) = await LoadAsync(checkDb, ruleId, signalId);
        Assert.Equal(("{}", 1), (stateAfter.StateJson, stateAfter.Version));
        Assert.Equal((1, 2), (signalAfter.EventCount, signalAfter.Version));
    }

    [Fact]
    public async Task StateOfAnotherOrganization_NotUpdated()
    {
        var (org, _) = await fixture.OrganizationAsync();
        var (other, _) = await fixture.OrganizationAsync();
        var (ruleId, _) = await SeedAsync(org);

        await using var scope = fixture.Ingest.CreateScope(org.Id, out var db);
        var state = await db.DetectionStates.SingleAsync(s => s.RuleId == ruleId);
        state.StateJson = """{"changed":true}""";
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            // The rows are the organization's own; written as another's, they match nothing and the write is refused.
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => DetectionRowUpdates.WriteAsync(db, other.Id, CancellationToken.None));
        }
    }

    private async Task<(Guid RuleId, Guid SignalId)> SeedAsync(TestOrganization org)
    {
        var ruleId = Guid.NewGuid();
        await using var scope = fixture.Ingest.CreateScope(org.Id, out var db);
        db.DetectionStates.Add(new DetectionState { RuleId = ruleId, GroupKey = "host:web-1", StateJson = "{}", Version = 1, UpdatedAt = DateTime.UtcNow });
        var signal = new Signal
        {
            RuleId = ruleId.ToString(), Title = "t", Hostname = "web-1", GroupKey = "host:web-1", SampleEventJson = "{}",
            Severity = Severity.Low, FirstSeen = DateTime.UtcNow, LastSeen = DateTime.UtcNow, EventCount = 1,
        };
        db.Signals.Add(signal);
        await db.SaveChangesAsync();
        return (ruleId, signal.Id);
    }

    private static async Task<(DetectionState State, Signal Signal)> LoadAsync(VigilDbContext db, Guid ruleId, Guid signalId) =>
        (await db.DetectionStates.SingleAsync(s => s.RuleId == ruleId), await db.Signals.SingleAsync(s => s.Id == signalId));
}
