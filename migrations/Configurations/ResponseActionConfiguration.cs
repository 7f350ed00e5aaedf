using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Vigil.Data.Entities;

namespace Vigil.Data.Configurations;

internal sealed class ResponseActionConfiguration : IEntityTypeConfiguration<ResponseAction>
{
    public void Configure(EntityTypeBuilder<ResponseAction> b)
    {
        b.ToTable("response_actions");
        b.Property(a => a.Hostname).HasMaxLength(255);
        b.Property(a => a.Kind).HasMaxLength(32);
        b.Property(a => a.ExecutablePath).HasMaxLength(4096);
        b.Property(a => a.RequestedByName).HasMaxLength(320);
        b.Property(a => a.State).HasMaxLength(16);
        b.Property(a => a.Detail).HasMaxLength(1000);
        b.HasIndex(a => new { a.OrganizationId, a.SignalId, a.RequestedAt });
        b.HasIndex(a => new { a.OrganizationId, a.Hostname, a.State });
        b.HasOne<Signal>().WithMany().HasForeignKey(a => a.SignalId).OnDelete(DeleteBehavior.Cascade);
    }
}
