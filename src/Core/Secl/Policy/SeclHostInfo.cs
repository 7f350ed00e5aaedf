using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Policy;

/// <summary>
/// What rule and macro <c>filters:</c> are evaluated against, once at load time: the host and the
/// agent. Field names follow Datadog's filter model (<c>os</c>, <c>kernel.version.major</c> ...).
/// </summary>
public sealed record SeclHostInfo
{
    public string Os { get; init; } = "linux";
    public string OsId { get; init; } = "";
    public string OsPlatformId { get; init; } = "";
    public string OsVersionId { get; init; } = "";
    public int KernelMajor { get; init; }
    public int KernelMinor { get; init; }
    public int KernelPatch { get; init; }
    public int KernelAbi { get; init; }
    public string KernelFlavor { get; init; } = "";
    public bool CoreEnabled { get; init; } = true;
    public string Hostname { get; init; } = "";
    public string Origin { get; init; } = "ebpf";
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>The fields a filter may use (all valid "for every event").</summary>
    public static SeclFieldCatalog FilterCatalog { get; } = new(BuildFilterFields(), []);

    private static IEnumerable<SeclModelDefinition.FieldSpec> BuildFilterFields()
    {
        static SeclModelDefinition.FieldSpec F(string name, SeclValueType type, SeclFieldFlags flags = SeclFieldFlags.None) =>
            new(name, SeclField.AnyEventType, type, flags, null, null, null, SeclFieldDerivation.Stored, null);
        yield return F("os", SeclValueType.String);
        yield return F("os.id", SeclValueType.String);
        yield return F("os.platform_id", SeclValueType.String);
        yield return F("os.version_id", SeclValueType.String);
        foreach (var flag in new[] { "amazon_linux", "cos", "debian", "oracle", "rhel", "rhel7", "rhel8", "sles", "sles12", "sles15" })
            yield return F($"os.is_{flag}", SeclValueType.Bool);
        yield return F("kernel.version.major", SeclValueType.Int);
        yield return F("kernel.version.minor", SeclValueType.Int);
        yield return F("kernel.version.patch", SeclValueType.Int);
        yield return F("kernel.version.abi", SeclValueType.Int);
        yield return F("kernel.version.flavor", SeclValueType.String);
        yield return F("kernel.core.enabled", SeclValueType.Bool);
        yield return F("envs", SeclValueType.String, SeclFieldFlags.List);
        yield return F("origin", SeclValueType.String);
        yield return F("hostname", SeclValueType.String);
    }

    /// <summary>The host as an "event" of the filter model.</summary>
    public SeclEvent ToFilterEvent()
    {
        var platform = OsPlatformId.Length > 0 ? OsPlatformId : OsId;
        var evt = new SeclEvent("host", FilterCatalog)
            .Set("os", Os).Set("os.id", OsId).Set("os.platform_id", platform).Set("os.version_id", OsVersionId)
            .Set("os.is_amazon_linux", platform == "amzn").Set("os.is_cos", platform == "cos").Set("os.is_debian", platform == "debian")
            .Set("os.is_oracle", platform == "ol").Set("os.is_rhel", platform is "rhel" or "centos")
            .Set("os.is_rhel7", platform is "rhel" or "centos" && OsVersionId.StartsWith('7'))
            .Set("os.is_rhel8", platform is "rhel" or "centos" && OsVersionId.StartsWith('8'))
            .Set("os.is_sles", platform == "sles").Set("os.is_sles12", platform == "sles" && OsVersionId.StartsWith("12", StringComparison.Ordinal))
            .Set("os.is_sles15", platform == "sles" && OsVersionId.StartsWith("15", StringComparison.Ordinal))
            .Set("kernel.version.major", KernelMajor).Set("kernel.version.minor", KernelMinor).Set("kernel.version.patch", KernelPatch)
            .Set("kernel.version.abi", KernelAbi).Set("kernel.version.flavor", KernelFlavor).Set("kernel.core.enabled", CoreEnabled)
            .Set("envs", Environment.ToArray()).Set("origin", Origin).Set("hostname", Hostname);
        return evt;
    }

    /// <summary>Reads the running host (Linux: uname release and /etc/os-release when readable).</summary>
    public static SeclHostInfo Current()
    {
        var release = Environment_Release();
        var parts = release.Split(['.', '-'], StringSplitOptions.None);
        static int Number(string[] p, int i) => p.Length > i && int.TryParse(p[i], out var n) ? n : 0;
        var osRelease = ReadOsRelease();
        return new SeclHostInfo
        {
            Os = OperatingSystem.IsWindows() ? "windows" : "linux",
            OsId = osRelease.GetValueOrDefault("ID", ""),
            OsVersionId = osRelease.GetValueOrDefault("VERSION_ID", ""),
            KernelMajor = Number(parts, 0),
            KernelMinor = Number(parts, 1),
            KernelPatch = Number(parts, 2),
            KernelAbi = Number(parts, 3),
            Hostname = System.Environment.MachineName,
            Environment = [.. System.Environment.GetEnvironmentVariables().Keys.Cast<string>()],
        };
    }

    private static string Environment_Release()
    {
        try
        {
            return File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static Dictionary<string, string> ReadOsRelease()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            if (!File.Exists("/etc/os-release")) return values;
            foreach (var line in File.ReadLines("/etc/os-release"))
            {
                var equals = line.IndexOf('=');
                if (equals > 0) values[line[..equals]] = line[(equals + 1)..].Trim('"');
            }
        }
        catch (IOException)
        {
        }
        return values;
    }
}
