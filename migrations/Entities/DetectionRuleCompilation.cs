using System.Text.Json;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Detection;

namespace Vigil.Data.Entities;

/// <summary>Reading a stored rule back: its definition (API JSON) and its compiled form.</summary>
public static class DetectionRuleCompilation
{
    public static DetectionRuleDefinition? Definition(this DetectionRule row) =>
        JsonSerializer.Deserialize<DetectionRuleDefinition>(row.DefinitionJson, ApiJson.Options);

    /// <summary>Null when the stored definition no longer compiles (it was valid when saved).</summary>
    public static CompiledDetectionRule? Compile(this DetectionRule row) =>
        row.Definition() is { } definition ? DetectionRuleCompiler.Compile(definition, row.Id, row.Version, row.CreatedAt).Rule : null;
}
