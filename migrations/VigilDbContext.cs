using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Vigil.Data.Entities;
using Vigil.Data.Tenancy;

namespace Vigil.Data;

/// <summary>
/// The one model of Vigil's storage. Provider-specific subclasses (<see cref="PostgresVigilDbContext"/>,
/// <see cref="SqliteVigilDbContext"/>) only choose the provider and own their migrations.
/// Tenancy is enforced here: every <see cref="IOrgOwned"/> entity gets a global query filter on the
/// current org, and SaveChanges stamps new rows with it and refuses rows of another org.
/// </summary>
public abstract class VigilDbContext(DbContextOptions options, TenantContext tenant) : DbContext(options)
{
    /// <summary>Read by the query filters on every query (EF parameterizes context members).</summary>
    protected Guid CurrentOrganizationId => tenant.OrganizationId;

    public TenantContext Tenant => tenant;

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApplicationKey> ApplicationKeys => Set<ApplicationKey>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<IngestedBatch> IngestedBatches => Set<IngestedBatch>();
    public DbSet<AgentEvent> AgentEvents => Set<AgentEvent>();
    public DbSet<Signal> Signals => Set<Signal>();
    public DbSet<AgentHost> AgentHosts => Set<AgentHost>();
    public DbSet<SignalComment> SignalComments => Set<SignalComment>();
    public DbSet<SignalChange> SignalChanges => Set<SignalChange>();
    public DbSet<DetectionRule> DetectionRules => Set<DetectionRule>();
    public DbSet<DetectionState> DetectionStates => Set<DetectionState>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<SignalEvent> SignalEvents => Set<SignalEvent>();
    public DbSet<NotificationChannel> NotificationChannels => Set<NotificationChannel>();
    public DbSet<NotificationRule> NotificationRules => Set<NotificationRule>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<AgentRule> AgentRules => Set<AgentRule>();
    public DbSet<PolicyRevision> PolicyRevisions => Set<PolicyRevision>();
    public DbSet<PolicySigningKey> PolicySigningKeys => Set<PolicySigningKey>();
    public DbSet<ResponseAction> ResponseActions => Set<ResponseAction>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VigilDbContext).Assembly);

        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(IOrgOwned).IsAssignableFrom(entityType.ClrType))
                entityType.SetQueryFilter(BuildOrgFilter(entityType.ClrType));
        }
        modelBuilder.Entity<Organization>().HasQueryFilter(o => o.Id == CurrentOrganizationId);
    }

    private LambdaExpression BuildOrgFilter(Type entityClrType)
    {
        // e => e.OrganizationId == this.CurrentOrganizationId
        var entity = Expression.Parameter(entityClrType, "e");
        var body = Expression.Equal(
            Expression.Property(entity, nameof(IOrgOwned.OrganizationId)),
            Expression.Property(Expression.Constant(this), nameof(CurrentOrganizationId)));
        return Expression.Lambda(body, entity);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampOrganization();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampOrganization();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void StampOrganization()
    {
        foreach (var entry in ChangeTracker.Entries<IOrgOwned>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
                continue;
            if (!tenant.IsSet)
                throw new InvalidOperationException(
                    $"Refusing to save {entry.Entity.GetType().Name}: no organization is set for this unit of work.");
            if (entry.Entity.OrganizationId == Guid.Empty)
                entry.Entity.OrganizationId = tenant.OrganizationId;
            else if (entry.Entity.OrganizationId != tenant.OrganizationId)
                throw new InvalidOperationException(
                    $"Refusing to save {entry.Entity.GetType().Name} of another organization.");
        }
    }
}
