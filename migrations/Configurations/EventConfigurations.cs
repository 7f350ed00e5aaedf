using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Vigil.Core.Events;
using Vigil.Data.Entities;

namespace Vigil.Data.Configurations;

internal sealed class IngestedBatchConfiguration : IEntityTypeConfiguration<IngestedBatch>
{
    public void Configure(EntityTypeBuilder<IngestedBatch> b)
    {
        b.ToTable("ingested_batches");
        b.HasKey(x => new { x.OrganizationId, x.BatchId });
        b.Property(x => x.BatchId).HasMaxLength(128);
        b.Property(x => x.Hostname).HasMaxLength(255);
    }
}

internal sealed class AgentEventConfiguration : IEntityTypeConfiguration<AgentEvent>
{
    public void Configure(EntityTypeBuilder<AgentEvent> b)
    {
        b.ToTable("agent_events");
        b.Property(e => e.BatchId).HasMaxLength(128);
        b.Property(e => e.Hostname).HasMaxLength(255);
        b.Property(e => e.RuleId).HasMaxLength(128);
        b.Property(e => e.EventType).HasMaxLength(64);
        b.Property(e => e.Title).HasMaxLength(512);
        b.HasIndex(e => new { e.OrganizationId, e.Timestamp });
        b.HasIndex(e => new { e.OrganizationId, e.RuleId, e.Timestamp });
        // Detection asks per batch whether the host reported lost events; almost no row is one. Without this tiny
        // partial index the planner, on statistics older than an organization's first events, can answer through
        // (organization, timestamp) and read every event of the hour, once per batch.
        b.HasIndex(e => new { e.OrganizationId, e.Hostname, e.Timestamp })
            .HasDatabaseName("IX_agent_events_lost_events")
            .HasFilter($"\"RuleId\" = '{InternalRuleIds.LostEvents}'");
    }
}

internal sealed class SignalConfiguration : IEntityTypeConfiguration<Signal>
{
    public void Configure(EntityTypeBuilder<Signal> b)
    {
        b.ToTable("signals");
        b.Property(s => s.RuleId).HasMaxLength(128);
        b.Property(s => s.Title).HasMaxLength(512);
        b.Property(s => s.Hostname).HasMaxLength(255);
        b.Property(s => s.GroupKey).HasMaxLength(512);
        b.Property(s => s.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.TriageState).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(s => new { s.OrganizationId, s.LastSeen });
        // The explorer lists newest first and pages by (first seen, id): an index in that order serves a page.
        b.HasIndex(s => new { s.OrganizationId, s.FirstSeen, s.Id });
        b.HasIndex(s => new { s.OrganizationId, s.RuleId, s.GroupKey });
        b.Property(s => s.ArchiveReason).HasMaxLength(64);
        b.Property(s => s.ArchiveComment).HasMaxLength(4000);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.Property(s => s.AgentRuleId).HasMaxLength(128);
        b.Property(s => s.Message).HasMaxLength(20_000);
        b.Property(s => s.TagsJson).HasMaxLength(20_000);
        b.Property(s => s.Reason).HasMaxLength(Signal.MaxReasonLength);
        b.Property(s => s.ContainerId).HasMaxLength(Signal.MaxContainerIdLength);
        b.Property(s => s.ContainerImage).HasMaxLength(Signal.MaxContainerImageLength);
        // No index of their own: a facet click compares lower(column) within the time range, which the
        // (org, last seen) index narrows; bench-explorer measures it (docs/benchmarks.md).
    }
}

internal sealed class DetectionRuleConfiguration : IEntityTypeConfiguration<DetectionRule>
{
    public void Configure(EntityTypeBuilder<DetectionRule> b)
    {
        b.ToTable("detection_rules");
        // Out-of-the-box rules carry the same stable id in every organization, so the key includes the org.
        b.HasKey(r => new { r.OrganizationId, r.Id });
        b.Property(r => r.ContentId).HasMaxLength(128);
        b.Property(r => r.ContentVersion).HasMaxLength(32);
        b.Property(r => r.ClonedFrom).HasMaxLength(128);
        b.Property(r => r.Name).HasMaxLength(300);
        b.Property(r => r.Method).HasMaxLength(32);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasIndex(r => new { r.OrganizationId, r.Enabled });
    }
}

internal sealed class DetectionStateConfiguration : IEntityTypeConfiguration<DetectionState>
{
    public void Configure(EntityTypeBuilder<DetectionState> b)
    {
        b.ToTable("detection_states");
        b.HasKey(s => new { s.OrganizationId, s.RuleId, s.GroupKey });
        b.Property(s => s.GroupKey).HasMaxLength(512);
        b.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class SignalCommentConfiguration : IEntityTypeConfiguration<SignalComment>
{
    public void Configure(EntityTypeBuilder<SignalComment> b)
    {
        b.ToTable("signal_comments");
        b.Property(c => c.AuthorName).HasMaxLength(320);
        b.Property(c => c.Text).HasMaxLength(4000);
        b.HasIndex(c => new { c.OrganizationId, c.SignalId, c.CreatedAt });
        b.HasOne<Signal>().WithMany().HasForeignKey(c => c.SignalId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SignalChangeConfiguration : IEntityTypeConfiguration<SignalChange>
{
    public void Configure(EntityTypeBuilder<SignalChange> b)
    {
        b.ToTable("signal_changes");
        b.Property(c => c.ActorName).HasMaxLength(320);
        b.Property(c => c.Field).HasMaxLength(64);
        b.Property(c => c.OldValue).HasMaxLength(4000);
        b.Property(c => c.NewValue).HasMaxLength(4000);
        b.HasIndex(c => new { c.OrganizationId, c.SignalId, c.At });
        b.HasOne<Signal>().WithMany().HasForeignKey(c => c.SignalId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgentHostConfiguration : IEntityTypeConfiguration<AgentHost>
{
    public void Configure(EntityTypeBuilder<AgentHost> b)
    {
        b.ToTable("agent_hosts");
        b.Property(h => h.Hostname).HasMaxLength(255);
        b.Property(h => h.AgentVersion).HasMaxLength(64);
        b.Property(h => h.PolicySha256).HasMaxLength(64);
        b.Property(h => h.PolicyLoadErrorsJson).HasMaxLength(64_000);
        b.Property(h => h.PolicyRefusal).HasMaxLength(2000);
        b.Property(h => h.ProbesJson).HasMaxLength(AgentHost.MaxProbesJsonLength);
        b.HasIndex(h => new { h.OrganizationId, h.Hostname }).IsUnique();
    }
}

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> b)
    {
        b.ToTable("suppressions");
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.Query).HasMaxLength(8192);
        b.Property(x => x.Reason).HasMaxLength(2000);
        b.Property(x => x.Owner).HasMaxLength(320);
        b.HasIndex(x => new { x.OrganizationId, x.Enabled });
    }
}

internal sealed class SignalEventConfiguration : IEntityTypeConfiguration<SignalEvent>
{
    public void Configure(EntityTypeBuilder<SignalEvent> b)
    {
        b.ToTable("signal_events");
        b.HasKey(x => new { x.OrganizationId, x.SignalId, x.EventId });
        b.HasOne<Signal>().WithMany().HasForeignKey(x => x.SignalId).OnDelete(DeleteBehavior.Cascade);
    }
}
