using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Agent.Probes.Dns;
using Vigil.Agent.Probes.Files;

namespace Vigil.Agent.Rules;

/// <summary>The <c>file</c> and <c>dns</c> sections of an agent event (Datadog's FileEvent and DNSEvent shapes).</summary>
public sealed partial class AgentEventSerializer
{
    private JsonObject FileSection(string type, FileActivity activity)
    {
        var file = FileObject(activity.Path, activity.Metadata);
        if (type == "open")
        {
            var flags = new JsonArray();
            var bits = SeclEventBuilder.OpenFlags(activity);
            if ((bits & 1) != 0) flags.Add("O_WRONLY");
            if ((bits & 64) != 0) flags.Add("O_CREAT");
            foreach (var flag in activity.Flags) flags.Add(flag);
            file["flags"] = flags;
        }
        if (type is "rename" or "link" && activity.DestinationPath is { } destination)
            file["destination"] = FileObject(destination, activity.Metadata);
        if (activity.Pid is null)
            file["path_resolution_error"] = $"no acting process reported by {activity.Source}";
        return file;
    }

    private JsonObject FileObject(string path, FileMetadata? metadata)
    {
        var name = Path.GetFileName(path);
        var file = new JsonObject { ["path"] = path, ["name"] = name, ["uid"] = metadata?.Uid ?? 0, ["gid"] = metadata?.Gid ?? 0 };
        if (Path.GetExtension(name) is { Length: > 1 } extension) file["extension"] = extension[1..];
        if (metadata is null) return file;
        file["inode"] = metadata.Inode;
        file["mode"] = metadata.Mode;
        file["user"] = users.User(metadata.Uid);
        file["group"] = users.Group(metadata.Gid);
        file["access_time"] = Time(metadata.AccessTime);
        file["modification_time"] = Time(metadata.ModificationTime);
        file["change_time"] = Time(metadata.ChangeTime);
        return file;
    }

    /// <summary>A query: Datadog's schema always has a response; a query that was not answered yet has code 0.</summary>
    private static JsonObject DnsSection(DnsQueryRecord query) => new()
    {
        ["id"] = query.Id,
        ["is_query"] = true,
        ["question"] = new JsonObject
        {
            ["class"] = query.Class, ["type"] = query.Type, ["name"] = query.Name, ["size"] = query.Size, ["count"] = query.QuestionCount,
        },
        ["response"] = new JsonObject { ["code"] = 0 },
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
