using Vigil.Agent.Probes.Dns;
using Vigil.Agent.Probes.Files;
using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Model;

namespace Vigil.Agent.Rules;

/// <summary>File and DNS records of the file and DNS probes as SECL events.</summary>
public sealed partial class SeclEventBuilder
{
    private const long OpenWriteOnly = 1, OpenCreate = 64;

    /// <summary>
    /// Datadog models a file's creation and its writes as <c>open</c> events with flags (O_CREAT, O_WRONLY),
    /// as the kernel sees them; an attribute change the probe could not classify has no SECL event type.
    /// </summary>
    public static string? FileEventType(FileActivity activity) => activity.Operation switch
    {
        FileOperation.Open or FileOperation.Create or FileOperation.Modify or FileOperation.CloseWrite => "open",
        FileOperation.Unlink => "unlink",
        FileOperation.Rename => "rename",
        FileOperation.Chmod => "chmod",
        FileOperation.Chown => "chown",
        FileOperation.Utimes => "utimes",
        FileOperation.Xattr => "setxattr",
        FileOperation.Mkdir => "mkdir",
        FileOperation.Rmdir => "rmdir",
        FileOperation.Link => "link",
        _ => null,
    };

    /// <summary>The open flags the operation implies (fanotify reports no flags of its own but "exec").</summary>
    public static long OpenFlags(FileActivity activity) => activity.Operation switch
    {
        FileOperation.Create => OpenCreate | OpenWriteOnly,
        FileOperation.Modify or FileOperation.CloseWrite => OpenWriteOnly,
        _ => 0,
    };

    private void SetFile(SeclEvent secl, string type, FileActivity activity)
    {
        // A rename's or link's metadata describes the new name; the file itself is the same inode.
        SetFileFields(secl, $"{type}.file", activity.Path, activity.Metadata);
        switch (type)
        {
            case "open":
                secl.Set("open.flags", OpenFlags(activity)).Set("open.retval", 0L);
                break;
            case "rename" or "link":
                SetFileFields(secl, $"{type}.file.destination", activity.DestinationPath ?? activity.Path, activity.Metadata);
                break;
            case "chmod" when activity.Metadata is { } m:
                secl.Set("chmod.file.destination.mode", (long)m.Permissions); // rights are computed from the mode
                break;
            case "chown" when activity.Metadata is { } m:
                secl.Set("chown.file.destination.uid", (long)m.Uid).Set("chown.file.destination.gid", (long)m.Gid)
                    .Set("chown.file.destination.user", cache.Users.User(m.Uid)).Set("chown.file.destination.group", cache.Users.Group(m.Gid));
                break;
        }
        if (SeclFieldCatalog.Linux.TryGetField($"{type}.retval", out _)) secl.Set($"{type}.retval", 0L);
    }

    private void SetFileFields(SeclEvent secl, string prefix, string path, FileMetadata? metadata)
    {
        var name = Path.GetFileName(path);
        secl.Set($"{prefix}.path", path).Set($"{prefix}.name", name).Set($"{prefix}.extension", Path.GetExtension(name).TrimStart('.'));
        if (metadata is null) return;
        secl.Set($"{prefix}.inode", (long)metadata.Inode).Set($"{prefix}.mode", (long)metadata.Mode)
            .Set($"{prefix}.uid", (long)metadata.Uid).Set($"{prefix}.gid", (long)metadata.Gid)
            .Set($"{prefix}.user", cache.Users.User(metadata.Uid)).Set($"{prefix}.group", cache.Users.Group(metadata.Gid))
            .Set($"{prefix}.modification_time", (metadata.ModificationTime - DateTimeOffset.UnixEpoch).Ticks * 100)
            .Set($"{prefix}.change_time", (metadata.ChangeTime - DateTimeOffset.UnixEpoch).Ticks * 100);
    }

    private static void SetDns(SeclEvent secl, DnsQueryRecord query)
    {
        secl.Set("dns.id", query.Id).Set("dns.question.name", query.Name).Set("dns.question.length", query.Size)
            .Set("dns.question.count", query.QuestionCount);
        if (SeclConstants.TryGet(query.Type, "DNS qtypes", out var qtype) || long.TryParse(query.Type, out qtype)) secl.Set("dns.question.type", qtype);
        var qclass = query.Class switch { "IN" => 1L, "CS" => 2L, "CH" => 3L, "HS" => 4L, "NONE" => 254L, "ANY" => 255L, _ => -1L };
        if (qclass < 0 && long.TryParse(query.Class, out var numeric)) qclass = numeric;
        if (qclass >= 0) secl.Set("dns.question.class", qclass);
    }
}
