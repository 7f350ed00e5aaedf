namespace Vigil.Data.Entities;

/// <summary>A row that belongs to one organization. The DbContext filters and stamps these centrally.</summary>
public interface IOrgOwned
{
    Guid OrganizationId { get; set; }
}
