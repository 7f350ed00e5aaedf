using Vigil.Core.Domain;

namespace Vigil.Data.Entities;

/// <summary>A security signal: what a detection rule raised for one group key, with its triage state.</summary>
public sealed class Signal : IOrgOwned
{
    public const int MaxContainerIdLength = 128;
    public const int MaxContainerImageLength = 512;
    public const int MaxReasonLength = 1000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>The detection rule that raised the signal.</summary>
    public required string RuleId { get; set; }
    public int RuleVersion { get; set; }
    /// <summary>The agent rule of the first matching event (<c>agent.rule_id</c>), for the explorer.</summary>
    public string? AgentRuleId { get; set; }
    /// <summary>The rule's message (Markdown, remediation steps).</summary>
    public string Message { get; set; } = "";
    /// <summary>The rule's tags (MITRE tactic/technique…), as a JSON array.</summary>
    public string TagsJson { get; set; } = "[]";
    /// <summary>Why the rule fired (counts in the window, the new value, the sequence).</summary>
    public string? Reason { get; set; }
    /// <summary>The host's agent reported lost events while this signal was open: counts may be too low.</summary>
    public bool DataDropped { get; set; }
    public required string Title { get; set; }
    public Severity Severity { get; set; }
    public TriageState TriageState { get; set; }
    public required string Hostname { get; set; }
    /// <summary>Identity of the group the rule correlated on (for now: host + agent rule id).</summary>
    public required string GroupKey { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    public int EventCount { get; set; }
    /// <summary>
    /// The container of the sample event (<c>container.id</c>) and its image (the <c>image_name:</c> tag), copied into
    /// columns so the explorer's container and image facets are a GROUP BY rather than a scan of the sample JSON.
    /// </summary>
    public string? ContainerId { get; set; }
    public string? ContainerImage { get; set; }
    /// <summary>The first matching agent event, kept with the signal for investigation.</summary>
    public required string SampleEventJson { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>The org user the signal is assigned to, if any.</summary>
    public Guid? AssigneeUserId { get; set; }
    /// <summary>Why it was archived (Datadog's reasons: false_positive, true_positive_benign, …).</summary>
    public string? ArchiveReason { get; set; }
    public string? ArchiveComment { get; set; }
    public DateTime? StateUpdatedAt { get; set; }
    public Guid? StateUpdatedByUserId { get; set; }
    /// <summary>Incremented by every triage change; a PATCH naming an older version is refused (409).</summary>
    public int Version { get; set; } = 1;
}
