using System.Text.RegularExpressions;

namespace Vigil.Agent.Process;

/// <summary>
/// Container id from /proc/pid/cgroup: the 64-hex id Docker, containerd, CRI-O and Podman put in the
/// cgroup path (docker-&lt;id&gt;.scope, /docker/&lt;id&gt;, cri-containerd-&lt;id&gt;, libpod-&lt;id&gt;). Cached per cgroup path.
/// </summary>
public sealed partial class ContainerResolver
{
    private readonly Dictionary<string, string?> _byCgroup = new(StringComparer.Ordinal);

    [GeneratedRegex("(?:^|[/-])([0-9a-f]{64})(?:\\.scope)?(?:/|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerIdPattern();

    /// <summary>The unified (v2) path, or the first controller's path on v1-only hosts.</summary>
    public static string? TryReadCgroupPath(int pid) => TryReadCgroupPath(pid, out _);

    /// <summary>As <see cref="TryReadCgroupPath(int)"/>; <paramref name="unified"/> tells whether the path is the v2 one.</summary>
    public static string? TryReadCgroupPath(int pid, out bool unified)
    {
        unified = false;
        var text = ProcFs.TryReadText($"/proc/{pid}/cgroup");
        if (text is null) return null;
        string? first = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length < 3) continue;
            if (parts[0] == "0")
            {
                unified = true;
                return parts[2];
            }
            first ??= parts[2];
        }
        return first;
    }

    public string? Resolve(string? cgroupPath)
    {
        if (string.IsNullOrEmpty(cgroupPath)) return null;
        if (_byCgroup.TryGetValue(cgroupPath, out var cached)) return cached;
        var match = ContainerIdPattern().Match(cgroupPath);
        var id = match.Success ? match.Groups[1].Value : null;
        if (_byCgroup.Count < 10_000) _byCgroup[cgroupPath] = id;
        return id;
    }
}
