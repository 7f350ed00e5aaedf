using Vigil.Core.Detection;

namespace Vigil.Core.Contracts.Api;

/// <summary>Create or replace a detection rule. On replace, <c>Version</c> (if given) must be the current one.</summary>
public sealed record DetectionRuleRequest(DetectionRuleDefinition Rule, bool Enabled = true, int? Version = null);

/// <summary>
/// A detection rule as stored; built-in rules apply to every organization and cannot be edited. Out-of-the-box
/// rules (<c>ContentId</c> set) can be enabled, disabled and cloned; a clone names its origin in <c>ClonedFrom</c>.
/// </summary>
public sealed record DetectionRuleDto(
    Guid Id, DetectionRuleDefinition Rule, bool Enabled, int Version, bool BuiltIn, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? ContentId = null, string? ClonedFrom = null);
