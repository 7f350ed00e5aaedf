using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Core.Contracts.Api;

namespace Vigil.Core.Content;

/// <summary>
/// <c>content/manifest.json</c>: the catalogue's releases, newest last, each with the SHA-256 of the content
/// it shipped. Changing any rule or case changes the hash, so a release must be added (the tests say which
/// hash to record); agents and organizations compare versions to know when to reload.
/// </summary>
public sealed record ContentManifest(IReadOnlyList<ContentRelease> Releases)
{
    public const string FileName = "manifest.json";

    /// <summary>The files the hash covers: everything but the manifest itself and the README.</summary>
    public static readonly string[] HashedFolders = [ContentCatalog.PoliciesFolder, ContentCatalog.DetectionRulesFolder, "tests"];

    public ContentRelease? Current => Releases.Count == 0 ? null : Releases[^1];

    internal static ContentManifest? Read(string directory, List<string> problems)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            problems.Add($"{FileName}: missing");
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ContentManifest>(File.ReadAllText(path), ApiJson.Options);
        }
        catch (JsonException ex)
        {
            problems.Add($"{FileName}: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// SHA-256 (hex) over every hashed file in path order: its path relative to the catalogue with '/',
    /// a newline, its text with line endings normalised to '\n', a newline — identical on every OS.
    /// </summary>
    public static string ComputeHash(string directory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = HashedFolders
            .Select(f => Path.Combine(directory, f))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.GetFiles(f, "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            var text = File.ReadAllText(Path.Combine(directory, relative)).Replace("\r\n", "\n", StringComparison.Ordinal);
            sha.AppendData(Encoding.UTF8.GetBytes($"{relative}\n{text}\n"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>One release of the catalogue: a semantic version and the hash of its content.</summary>
public sealed record ContentRelease(string Version, string ContentSha256, string? Notes = null);
