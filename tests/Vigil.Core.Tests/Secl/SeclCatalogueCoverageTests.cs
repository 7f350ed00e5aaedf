using System.Text.Json;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Tests.Secl;

/// <summary>Walks Datadog's published Linux SECL catalogue and checks the model against it.</summary>
public sealed class SeclCatalogueCoverageTests
{
    private static readonly JsonDocument Catalogue = JsonDocument.Parse(SharedTestData.Read("datadog-secl-linux.json"));

    private static string ModelType(SeclField field) => field.Type switch
    {
        SeclValueType.String => "string",
        SeclValueType.Int => "int",
        SeclValueType.Bool => "bool",
        _ => "IP/CIDR",
    };

    [Fact]
    public void Catalogue_EveryEventTypeField_ExistsForThatEventType()
    {
        var problems = new List<string>();
        foreach (var eventType in Catalogue.RootElement.GetProperty("event_types").EnumerateArray())
        {
            var name = eventType.GetProperty("name").GetString()!;
            if (name != SeclField.AnyEventType && !SeclFieldCatalog.Linux.EventTypes.ContainsKey(name)) problems.Add($"event type {name} missing");
            foreach (var property in eventType.GetProperty("properties").EnumerateArray())
            {
                var field = property.GetProperty("name").GetString()!;
                if (!SeclFieldCatalog.Linux.TryGetField(field, out var model)) problems.Add($"{name}: field {field} missing");
                else if (!model.IsAvailableFor(name) && !(name == "*" && model.IsContext)) problems.Add($"{name}: field {field} not available for it");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Catalogue_EveryDocumentedField_HasTheDocumentedTypeAndConstants()
    {
        var problems = new List<string>();
        foreach (var doc in Catalogue.RootElement.GetProperty("properties_doc").EnumerateArray())
        {
            var name = doc.GetProperty("name").GetString()!;
            var type = doc.GetProperty("type").GetString()!;
            var constants = doc.GetProperty("constants").GetString();
            foreach (var prefix in doc.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()!))
            {
                var full = name.StartsWith("*.", StringComparison.Ordinal) ? $"{prefix}{name[1..]}" : name;
                if (!SeclFieldCatalog.Linux.TryGetField(full, out var field)) { problems.Add($"{full} missing"); continue; }
                if (ModelType(field) != type) problems.Add($"{full}: type {ModelType(field)}, catalogue {type}");
                if (!string.IsNullOrEmpty(constants) && field.ConstantsGroup != constants) problems.Add($"{full}: constants {field.ConstantsGroup}, catalogue {constants}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Catalogue_ModelFields_AreAllInTheCatalogueOrDocumentedExtras()
    {
        var known = Catalogue.RootElement.GetProperty("event_types").EnumerateArray()
            .SelectMany(e => e.GetProperty("properties").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)).ToHashSet();
        // Legacy names Datadog still resolves; kept as aliases of process.container.* / process.cgroup.*.
        string[] extras = ["container.id", "container.created_at", "container.tags", "cgroup.id", "cgroup.version", "cgroup.created_at"];
        var unknown = SeclFieldCatalog.Linux.Fields.Select(f => f.Name).Where(n => !known.Contains(n) && !extras.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }
}

public sealed class SeclCatalogueExampleTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        using var catalogue = System.Text.Json.JsonDocument.Parse(SharedTestData.Read("datadog-secl-linux.json"));
        foreach (var doc in catalogue.RootElement.GetProperty("properties_doc").EnumerateArray())
        {
            foreach (var example in doc.GetProperty("examples").EnumerateArray()) data.Add(example.GetProperty("expression").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void CatalogueExample_ParsesAndBinds(string expression)
    {
        // Examples are fragments (process.user == "root" has no event type on its own): bind them as such.
        var compiled = Vigil.Core.Secl.Binding.SeclBinder.Compile(expression, requireEventType: false);
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        var asRule = Vigil.Core.Secl.Binding.SeclBinder.Compile(expression);
        Assert.True(asRule.Success || asRule.Diagnostics.Single().Message == "no event in the rule definition", string.Join("\n", asRule.Diagnostics));
    }

    [Fact]
    public void CatalogueExamples_AreAllCollected()
    {
        Assert.Equal(9, Examples().Count);
    }
}

public sealed class SeclModelDocumentationTests
{
    [Fact]
    public void Documentation_GeneratedFromTheModel_ListsEveryFieldUnderEachOfItsEventTypes()
    {
        var markdown = Vigil.Core.Secl.Model.SeclModelDocumentation.ToMarkdown();
        var rows = markdown.Split('\n').Count(line => line.StartsWith("| `", StringComparison.Ordinal));
        Assert.Equal(SeclFieldCatalog.Linux.Fields.Sum(f => f.EventTypes.Count), rows);
        Assert.Contains("| `process.ancestors.file.path` | string | iterates `process.ancestors`; path (glob per segment, no regex) |", markdown, StringComparison.Ordinal);
        Assert.Contains("## `open` (File, agent 7.27)", markdown, StringComparison.Ordinal);
    }
}

public sealed class SeclCatalogueConstantTests
{
    [Fact]
    public void Catalogue_EveryConstant_ResolvesInItsGroup()
    {
        using var catalogue = System.Text.Json.JsonDocument.Parse(SharedTestData.Read("datadog-secl-linux.json"));
        var missing = new List<string>();
        foreach (var group in catalogue.RootElement.GetProperty("constants").EnumerateArray())
        {
            var name = group.GetProperty("name").GetString()!;
            foreach (var constant in group.GetProperty("all").EnumerateArray().Select(c => c.GetProperty("name").GetString()!))
            {
                var architecture = group.GetProperty("all").EnumerateArray().First(c => c.GetProperty("name").GetString() == constant).GetProperty("architecture").GetString();
                if (architecture is not ("all" or "amd64" or "amd64, arm" or "amd64, arm64")) continue; // x86_64 values only
                if (!Vigil.Core.Secl.Model.SeclConstants.Groups.TryGetValue(name, out var values) || !values.ContainsKey(constant)) missing.Add($"{name}: {constant}");
            }
        }
        Assert.Empty(missing);
    }
}
