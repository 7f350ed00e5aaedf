using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Domain;
using Vigil.Core.Security;
using Vigil.Data;
using Vigil.Data.Entities;

namespace Vigil.Testing;

/// <summary>An organization of its own for one test: users of every role, an agent key, an application key.</summary>
public sealed record TestOrganization(
    Guid Id,
    string Name,
    string AgentApiKey,
    string ApplicationKey,
    string AdminEmail,
    string ResponderEmail,
    string ReadOnlyEmail,
    string Password)
{
    public static async Task<TestOrganization> CreateAsync(IServiceProvider services, string? name = null)
    {
        name ??= $"org-{Guid.NewGuid():N}"[..16];
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VigilDbContext>();
        var hasher = new PasswordHasher<User>();
        var org = new Organization { Name = name };
        db.Tenant.Set(org.Id);
        db.Organizations.Add(org);

        var password = $"pw-{Guid.NewGuid():N}";
        var emails = new Dictionary<Role, string>();
        foreach (var role in Enum.GetValues<Role>())
        {
            var email = $"{role.ToString().ToLowerInvariant()}-{org.Id:N}@test.vigil";
            var user = new User { Email = email, DisplayName = $"{role} of {name}", Role = role, PasswordHash = "" };
            user.PasswordHash = hasher.HashPassword(user, password);
            db.Users.Add(user);
            emails[role] = email;
        }

        var agentKey = SecretKeys.Generate(SecretKind.AgentApiKey);
        db.ApiKeys.Add(new ApiKey { Name = "test agent", KeyHash = SecretKeys.Hash(agentKey), Hint = SecretKeys.Hint(agentKey) });
        var appKey = SecretKeys.Generate(SecretKind.ApplicationKey);
        db.ApplicationKeys.Add(new ApplicationKey
        {
            Name = "test client", KeyHash = SecretKeys.Hash(appKey), Hint = SecretKeys.Hint(appKey), Role = Role.ReadOnly,
        });
        await db.SaveChangesAsync();
        return new TestOrganization(org.Id, name, agentKey, appKey, emails[Role.Admin], emails[Role.Responder], emails[Role.ReadOnly], password);
    }
}
