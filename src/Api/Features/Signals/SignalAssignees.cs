using Microsoft.EntityFrameworkCore;
using Vigil.Api.Endpoints;
using Vigil.Core.Contracts.Api;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Signals;

/// <summary>Signals as listed, with the assignee's e-mail (one query for the whole page, not one per signal).</summary>
public static class SignalAssignees
{
    public static async Task<List<SignalDto>> ToDtosAsync(VigilDbContext db, IReadOnlyList<Signal> signals, CancellationToken ct)
    {
        var ids = signals.Where(s => s.AssigneeUserId is not null).Select(s => s.AssigneeUserId!.Value).Distinct().ToList();
        var names = ids.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        return signals.Select(s => SignalsEndpoints.ToDto(s) with
        {
            AssigneeName = s.AssigneeUserId is { } id ? names.GetValueOrDefault(id) : null,
        }).ToList();
    }
}
