using Microsoft.EntityFrameworkCore;
using Vigil.Data.Tenancy;

namespace Vigil.Data;

/// <summary>PostgreSQL (production mode). Migrations live in Postgres/Migrations.</summary>
public sealed class PostgresVigilDbContext(DbContextOptions<PostgresVigilDbContext> options, TenantContext tenant)
    : VigilDbContext(options, tenant)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Entities.AgentEvent>().Property(e => e.Json).HasColumnType("jsonb");
        modelBuilder.Entity<Entities.Signal>().Property(e => e.SampleEventJson).HasColumnType("jsonb");
        modelBuilder.Entity<Entities.DetectionRule>().Property(e => e.DefinitionJson).HasColumnType("jsonb");
    }
}
