using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Users;

/// <summary>
/// Members of an organization, managed by its admins. A new member gets a random first password, returned once and
/// stored only as a hash. An admin cannot demote or disable themselves, and an organization always keeps one
/// enabled admin, so nobody can lock an organization out of its own settings.
/// </summary>
public sealed class UserAdministration(VigilDbContext db, IPasswordHasher<User> hasher)
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 320;

    public abstract record Outcome
    {
        public sealed record Done(OrgUserDto User, string? InitialPassword = null) : Outcome;
        public sealed record Invalid(Dictionary<string, string[]> Errors) : Outcome;
        public sealed record Conflict(string Detail) : Outcome;
        public sealed record NotFound : Outcome;
    }

    public static string Wire(Role role) => role switch { Role.Admin => "admin", Role.Responder => "responder", _ => "read_only" };

    public static Role? Parse(string? role) => role switch { "admin" => Role.Admin, "responder" => Role.Responder, "read_only" => Role.ReadOnly, _ => null };

    public static OrgUserDto ToDto(User u) => new(u.Id, u.DisplayName, u.Email, Wire(u.Role), u.Disabled);

    public async Task<Outcome> CreateAsync(CreateUserRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email?.Trim() ?? "";
        if (email.Length is 0 or > MaxEmailLength || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            errors["email"] = [$"email must be an e-mail address (at most {MaxEmailLength} characters)."];
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
            errors["name"] = [$"name is required (at most {MaxNameLength} characters)."];
        if (Parse(request.Role) is not { } role)
        {
            errors["role"] = ["role must be admin, responder or read_only."];
            role = Role.ReadOnly;
        }
        if (errors.Count > 0) return new Outcome.Invalid(errors);
        // E-mail addresses are unique across Vigil (login needs no organization): look beyond this org.
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Email == email, ct))
            return new Outcome.Conflict("A user with this e-mail address already exists.");

        var password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20);
        var user = new User { Email = email, DisplayName = name, Role = role, PasswordHash = "" };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return new Outcome.Done(ToDto(user), password);
    }

    public async Task<Outcome> UpdateAsync(Guid id, UpdateUserRequest request, Guid? callerId, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return new Outcome.NotFound();
        Role? role = null;
        if (request.Role is not null && (role = Parse(request.Role)) is null)
            return new Outcome.Invalid(new() { ["role"] = ["role must be admin, responder or read_only."] });
        if (role is null && request.Disabled is null)
            return new Outcome.Invalid(new() { ["body"] = ["Give a role or disabled."] });

        var losesAdmin = user.Role == Role.Admin && !user.Disabled && ((role is { } r && r != Role.Admin) || request.Disabled == true);
        if (losesAdmin && user.Id == callerId)
            return new Outcome.Conflict("You cannot remove your own admin role or disable yourself; ask another admin.");
        if (losesAdmin && !await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == Role.Admin && !u.Disabled, ct))
            return new Outcome.Conflict("The organization must keep at least one enabled admin.");

        if (role is { } newRole) user.Role = newRole;
        if (request.Disabled is { } disabled) user.Disabled = disabled;
        await db.SaveChangesAsync(ct);
        return new Outcome.Done(ToDto(user));
    }
}
