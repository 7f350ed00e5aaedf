using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Vigil.Data.Entities;

namespace Vigil.Data.Configurations;

internal sealed class AgentRuleConfiguration : IEntityTypeConfiguration<AgentRule>
{
    public void Configure(EntityTypeBuilder<AgentRule> b)
    {
        b.ToTable("agent_rules");
        b.Property(x => x.RuleId).HasMaxLength(128);
        b.Property(x => x.Source).HasMaxLength(16);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.DefinitionYaml).HasMaxLength(64_000);
        b.Property(x => x.HostTagsJson).HasMaxLength(4000);
        b.Property(x => x.ClonedFrom).HasMaxLength(128);
        b.Property(x => x.ContentVersion).HasMaxLength(32);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => new { x.OrganizationId, x.RuleId }).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
    }
}

internal sealed class PolicyRevisionConfiguration : IEntityTypeConfiguration<PolicyRevision>
{
    public void Configure(EntityTypeBuilder<PolicyRevision> b)
    {
        b.ToTable("policy_revisions");
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Signature).HasMaxLength(200);
        b.Property(x => x.PublishedBy).HasMaxLength(320);
        // Two concurrent publishers cannot both become version N: one gets a unique violation and retries.
        b.HasIndex(x => new { x.OrganizationId, x.Version }).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
    }
}

internal sealed class PolicySigningKeyConfiguration : IEntityTypeConfiguration<PolicySigningKey>
{
    public void Configure(EntityTypeBuilder<PolicySigningKey> b)
    {
        b.ToTable("policy_signing_keys");
        b.Property(x => x.PublicKey).HasMaxLength(100);
        b.Property(x => x.ProtectedPrivateKey).HasMaxLength(4000);
        b.HasIndex(x => x.OrganizationId).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
    }
}
