using Vigil.Core.Secl.Binding;

namespace Vigil.Agent.Rules;

/// <summary>
/// The directories the file probe must watch so every loaded file rule can match: the literal directories
/// their path conditions require. A file rule without one (it matches on a name, a flag or nothing
/// literal) needs the whole filesystem, so <c>/</c> is watched.
/// </summary>
public static class WatchedPaths
{
    public static readonly IReadOnlySet<string> FileEventTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "open", "chmod", "chown", "unlink", "rename", "link", "utimes", "setxattr", "mkdir", "rmdir",
    };

    public static IReadOnlyList<string> Of(RuleHost rules, IEnumerable<string>? extra = null)
    {
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules.RuleSet.Rules.Where(r => FileEventTypes.Contains(r.EventType)))
        {
            if (SeclPathBounds.Directories(rule.Compiled) is { } bounded)
                directories.UnionWith(bounded);
            else
                directories.Add("/");
        }
        directories.UnionWith(extra ?? []);
        if (directories.Contains("/")) return ["/"];
        // The probe marks filesystems and filters by prefix: a directory that does not exist yet is watched
        // through its nearest existing parent's filesystem, so its prefix is kept as it is.
        return [.. directories.Where(d => d.StartsWith('/')).Order(StringComparer.Ordinal)];
    }
}
