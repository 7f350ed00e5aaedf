using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Vigil.Data.Entities;

namespace Vigil.Data.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.ToTable("organizations");
        b.Property(o => o.Name).HasMaxLength(Organization.MaxNameLength);
        b.Property(o => o.ContentVersion).HasMaxLength(32);
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.Property(u => u.Email).HasMaxLength(320);
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PasswordHash).HasMaxLength(200);
        b.Property(u => u.Role).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(u => u.Email).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(k => k.Name).HasMaxLength(200);
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.Property(k => k.Hint).HasMaxLength(16);
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId);
    }
}

internal sealed class ApplicationKeyConfiguration : IEntityTypeConfiguration<ApplicationKey>
{
    public void Configure(EntityTypeBuilder<ApplicationKey> b)
    {
        b.ToTable("application_keys");
        b.Property(k => k.Name).HasMaxLength(200);
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.Property(k => k.Hint).HasMaxLength(16);
        b.Property(k => k.Role).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("user_sessions");
        b.Property(s => s.TokenHash).HasMaxLength(64);
        b.HasIndex(s => s.TokenHash).IsUnique();
        b.HasOne<User>().WithMany().HasForeignKey(s => s.UserId);
    }
}
