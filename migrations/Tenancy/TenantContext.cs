namespace Vigil.Data.Tenancy;

/// <summary>
/// The organization the current unit of work acts for (scoped: one per request or consumed message).
/// Until it is set, every org-owned query returns nothing and every insert is refused.
/// </summary>
public sealed class TenantContext
{
    public Guid OrganizationId { get; private set; }

    public bool IsSet => OrganizationId != Guid.Empty;

    public void Set(Guid organizationId)
    {
        if (organizationId == Guid.Empty)
            throw new ArgumentException("An organization id is required.", nameof(organizationId));
        if (IsSet && OrganizationId != organizationId)
            throw new InvalidOperationException("This unit of work already acts for another organization.");
        OrganizationId = organizationId;
    }
}
