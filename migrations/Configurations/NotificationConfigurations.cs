using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Vigil.Data.Entities;

namespace Vigil.Data.Configurations;

internal sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> b)
    {
        b.ToTable("notification_channels");
        b.Property(x => x.Type).HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(80);
        b.Property(x => x.SettingsJson).HasMaxLength(40_000);
        b.Property(x => x.ProtectedSecrets).HasMaxLength(40_000);
        b.Property(x => x.TargetHint).HasMaxLength(300);
        b.Property(x => x.MessageTemplate).HasMaxLength(20_000);
        b.HasIndex(x => new { x.OrganizationId, x.Type, x.Name }).IsUnique();
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
    }
}

internal sealed class NotificationRuleConfiguration : IEntityTypeConfiguration<NotificationRule>
{
    public void Configure(EntityTypeBuilder<NotificationRule> b)
    {
        b.ToTable("notification_rules");
        b.Property(x => x.Name).HasMaxLength(300);
        b.Property(x => x.MinSeverity).HasMaxLength(20);
        b.Property(x => x.RuleTypesJson).HasMaxLength(2000);
        b.Property(x => x.RuleIdsJson).HasMaxLength(8000);
        b.Property(x => x.TagsJson).HasMaxLength(8000);
        b.Property(x => x.Environment).HasMaxLength(200);
        b.Property(x => x.Query).HasMaxLength(8192);
        b.Property(x => x.ChannelIdsJson).HasMaxLength(4000);
        b.HasIndex(x => new { x.OrganizationId, x.Enabled });
        b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
    }
}

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> b)
    {
        b.ToTable("notification_deliveries");
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.DedupKey).HasMaxLength(100);
        b.Property(x => x.Severity).HasMaxLength(20);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => new { x.OrganizationId, x.ChannelId, x.SignalId, x.DedupKey }).IsUnique();
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
        b.HasOne<NotificationChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
