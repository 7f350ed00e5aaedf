using Vigil.Core.Content;

namespace Vigil.Api.Features.RemoteConfig;

/// <summary>Where the out-of-the-box catalogue is read from (<c>Vigil:Content</c>).</summary>
public sealed class ContentOptions
{
    public const string Section = "Vigil:Content";

    /// <summary>The catalogue folder (manifest.json, agent-policies/, detection-rules/); default: <c>content</c> next to the binaries.</summary>
    public string? Directory { get; set; }
}

/// <summary>
/// The catalogue this Api ships with, read once: the current release, each agent rule's definition (YAML, as
/// organizations store it) and the shared macros. A catalogue with problems stops the Api at start, since
/// seeding half of it into every organization would be worse.
/// </summary>
public sealed class OutOfTheBoxContent
{
    public OutOfTheBoxContent(Microsoft.Extensions.Options.IOptions<ContentOptions> options)
    {
        var directory = options.Value.Directory is { Length: > 0 } configured ? configured : Path.Combine(AppContext.BaseDirectory, "content");
        Catalog = ContentCatalog.Load(directory);
        if (Catalog.Problems.Count > 0 || Catalog.Manifest?.Current is null)
            throw new InvalidOperationException(
                $"The out-of-the-box content in {directory} cannot be loaded: {string.Join("; ", Catalog.Problems.DefaultIfEmpty("manifest.json has no release"))}");
        Version = Catalog.Manifest.Current.Version;
        var (rules, macros) = PolicyYaml.Split(Catalog.Policies);
        Rules = rules;
        Macros = macros;
    }

    public ContentCatalog Catalog { get; }

    /// <summary>The catalogue release (<c>manifest.json</c>'s newest), e.g. 1.0.0.</summary>
    public string Version { get; }

    /// <summary>Agent rules by id, each a YAML mapping as an org stores it (without the remediation text).</summary>
    public IReadOnlyDictionary<string, CatalogRule> Rules { get; }

    /// <summary>Every macro of the catalogue, as YAML mappings; always part of the effective policy.</summary>
    public IReadOnlyList<string> Macros { get; }
}

/// <summary>An agent rule of the catalogue, ready to store in an organization.</summary>
public sealed record CatalogRule(string Id, string Description, string DefinitionYaml, bool BlockingCapable);
