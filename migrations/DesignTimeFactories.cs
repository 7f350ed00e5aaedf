using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Vigil.Data.Tenancy;

namespace Vigil.Data;

// Used only by `dotnet ef migrations add` (see docs/development.md); never at run time.

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresVigilDbContext>
{
    public PostgresVigilDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresVigilDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=vigil_design").Options,
        new TenantContext());
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteVigilDbContext>
{
    public SqliteVigilDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqliteVigilDbContext>().UseSqlite("Data Source=design.db").Options,
        new TenantContext());
}
