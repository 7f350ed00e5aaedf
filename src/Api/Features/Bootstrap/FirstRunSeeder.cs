using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Vigil.Core.Domain;
using Vigil.Core.Security;
using Vigil.Data;
using Vigil.Data.Entities;
using Vigil.ServiceDefaults;

namespace Vigil.Api.Features.Bootstrap;

/// <summary>First-run settings (<c>Vigil:Bootstrap</c>): who the first admin is.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Vigil:Bootstrap";

    public bool Enabled { get; set; } = true;
    public string OrganizationName { get; set; } = "Default";
    public string AdminEmail { get; set; } = "admin@vigil.local";
    /// <summary>When empty, a random password is generated and printed once.</summary>
    public string? AdminPassword { get; set; }
    /// <summary>Where to write the first agent API key (mode 0600) so a local agent can use it; empty: nowhere.</summary>
    public string? AgentKeyFile { get; set; }
}

/// <summary>What the first start created; printed once by the host, never logged.</summary>
public sealed record FirstRunCredentials(string OrganizationName, string AdminEmail, string AdminPassword, string AgentApiKey);

/// <summary>Holds the credentials of this start, if it was the first.</summary>
public sealed class FirstRunResult
{
    public FirstRunCredentials? Created { get; set; }
}

/// <summary>On an empty database: one organization, its admin and one agent API key.</summary>
public sealed class FirstRunSeeder(IOptions<BootstrapOptions> options, FirstRunResult result) : IStartupTask
{
    public int Order => StartupTaskOrder.Seeding;

    public async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VigilDbContext>();
        if (await db.Organizations.IgnoreQueryFilters().AnyAsync(ct))
            return;

        var org = new Organization { Name = settings.OrganizationName };
        db.Tenant.Set(org.Id);
        var password = string.IsNullOrEmpty(settings.AdminPassword) ? GeneratePassword() : settings.AdminPassword;
        var admin = new User
        {
            Email = settings.AdminEmail.Trim().ToLowerInvariant(), DisplayName = "Administrator", Role = Role.Admin, PasswordHash = "",
        };
        admin.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(admin, password);
        var agentKey = SecretKeys.Generate(SecretKind.AgentApiKey);
        db.Organizations.Add(org);
        db.Users.Add(admin);
        db.ApiKeys.Add(new ApiKey { Name = "first agent key", KeyHash = SecretKeys.Hash(agentKey), Hint = SecretKeys.Hint(agentKey) });
        await db.SaveChangesAsync(ct);
        await RemoteConfig.ContentUpgradeTask.SeedAsync(services, org.Id, ct);

        if (!string.IsNullOrEmpty(settings.AgentKeyFile))
            WriteOwnerOnly(settings.AgentKeyFile, agentKey);
        result.Created = new FirstRunCredentials(org.Name, admin.Email, password, agentKey);
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');

    private static void WriteOwnerOnly(string path, string secret)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(path, System.Text.Encoding.UTF8, options);
        writer.Write(secret);
    }
}
