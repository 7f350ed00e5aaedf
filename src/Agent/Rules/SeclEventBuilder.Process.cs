using Vigil.Agent.Process;
using Vigil.Core.Secl.Evaluation;

namespace Vigil.Agent.Rules;

/// <summary>The process fields of a SECL event (process, parent, ancestors, exec, exit, tracee, signal target).</summary>
public sealed partial class SeclEventBuilder
{
    private readonly Dictionary<string, ProcessFields> _prefixes = new(StringComparer.Ordinal);

    private ProcessFields Fields(string prefix)
    {
        if (!_prefixes.TryGetValue(prefix, out var fields)) _prefixes[prefix] = fields = new ProcessFields(prefix, _plan);
        return fields;
    }

    private void SetProcessTree(SeclEvent secl, string prefix, ProcessEntry entry)
    {
        SetProcess(new Target(secl, null), Fields(prefix), entry);
        var parentFields = Fields(prefix + ".parent");
        if (entry.Parent is { } parent && parentFields.Any) SetProcess(new Target(secl, null), parentFields, parent);
        var ancestorFields = Fields(prefix + ".ancestors");
        if (!ancestorFields.Any) return;
        foreach (var ancestor in entry.Ancestors()) SetProcess(new Target(null, secl.AddElement(ancestorFields.Prefix)), ancestorFields, ancestor);
    }

    private void SetProcess(Target t, ProcessFields f, ProcessEntry e)
    {
        if (!f.Any) return;
        var c = e.Credentials;
        var users = cache.Users;
        var file = e.Executable;
        t.Int(f, ProcessField.Pid, e.Pid).Int(f, ProcessField.Ppid, e.Ppid).Int(f, ProcessField.Tid, e.Pid).Str(f, ProcessField.Comm, e.Comm)
            .Str(f, ProcessField.TtyName, e.Tty ?? "").Int(f, ProcessField.CreatedAt, e.ExecTimeNs != 0 ? e.ExecTimeNs : e.ForkTimeNs)
            .Bool(f, ProcessField.IsThread, false).Bool(f, ProcessField.IsKworker, file.Path.Length == 0 && e.Ppid == 2)
            .Bool(f, ProcessField.IsExec, e.IsExec).Str(f, ProcessField.Argv0, e.Argv.Length > 0 ? e.Argv[0] : "")
            .Bool(f, ProcessField.ArgsTruncated, e.ArgsTruncated).Bool(f, ProcessField.EnvsTruncated, e.EnvsTruncated)
            .Int(f, ProcessField.Uid, c.Uid).Int(f, ProcessField.Gid, c.Gid).Int(f, ProcessField.Euid, c.Euid).Int(f, ProcessField.Egid, c.Egid)
            .Int(f, ProcessField.Fsuid, c.Fsuid).Int(f, ProcessField.Fsgid, c.Fsgid).Int(f, ProcessField.Auid, c.Auid)
            .Int(f, ProcessField.CapEffective, (long)c.CapEffective).Int(f, ProcessField.CapPermitted, (long)c.CapPermitted)
            .Str(f, ProcessField.ContainerId, e.ContainerId ?? "").Str(f, ProcessField.CgroupId, e.CgroupPath ?? "")
            .Str(f, ProcessField.FilePath, file.Path).Int(f, ProcessField.FileInode, (long)file.Inode).Int(f, ProcessField.FileMode, file.Mode)
            .Int(f, ProcessField.FileUid, file.Uid).Int(f, ProcessField.FileGid, file.Gid)
            .Int(f, ProcessField.FileModificationTime, file.ModificationTimeNs).Int(f, ProcessField.FileChangeTime, file.ChangeTimeNs);
        // Values that cost a lookup or an allocation are computed only when a rule reads them.
        if (f.Wants(ProcessField.Argv)) t.List(f, ProcessField.Argv, e.Argv.Length > 1 ? e.Argv[1..] : []);
        if (f.Wants(ProcessField.Envs)) t.List(f, ProcessField.Envs, e.EnvNames);
        if (f.Wants(ProcessField.Envp)) t.List(f, ProcessField.Envp, e.Envp);
        if (f.Wants(ProcessField.User)) t.Str(f, ProcessField.User, users.User(c.Uid));
        if (f.Wants(ProcessField.Group)) t.Str(f, ProcessField.Group, users.Group(c.Gid));
        if (f.Wants(ProcessField.Euser)) t.Str(f, ProcessField.Euser, users.User(c.Euid));
        if (f.Wants(ProcessField.Egroup)) t.Str(f, ProcessField.Egroup, users.Group(c.Egid));
        if (f.Wants(ProcessField.Fsuser)) t.Str(f, ProcessField.Fsuser, users.User(c.Fsuid));
        if (f.Wants(ProcessField.Fsgroup)) t.Str(f, ProcessField.Fsgroup, users.Group(c.Fsgid));
        if (f.Wants(ProcessField.FileName)) t.Str(f, ProcessField.FileName, file.Name);
        if (f.Wants(ProcessField.FileExtension)) t.Str(f, ProcessField.FileExtension, Path.GetExtension(file.Name).TrimStart('.'));
        if (f.Wants(ProcessField.FileUser)) t.Str(f, ProcessField.FileUser, users.User(file.Uid));
        if (f.Wants(ProcessField.FileGroup)) t.Str(f, ProcessField.FileGroup, users.Group(file.Gid));
    }

    /// <summary>Sets fields on the event or on one iterator element (the two have separate setter types), when wanted.</summary>
    private readonly struct Target(SeclEvent? evt, SeclElement? element)
    {
        public Target Str(ProcessFields f, ProcessField id, string value)
        {
            if (f.Wants(id)) { if (evt is not null) evt.Set(f.Name(id), value); else element!.Set(f.Name(id), value); }
            return this;
        }

        public Target Int(ProcessFields f, ProcessField id, long value)
        {
            if (f.Wants(id)) { if (evt is not null) evt.Set(f.Name(id), value); else element!.Set(f.Name(id), value); }
            return this;
        }

        public Target Bool(ProcessFields f, ProcessField id, bool value)
        {
            if (f.Wants(id)) { if (evt is not null) evt.Set(f.Name(id), value); else element!.Set(f.Name(id), value); }
            return this;
        }

        public Target List(ProcessFields f, ProcessField id, string[] value)
        {
            if (f.Wants(id)) { if (evt is not null) evt.Set(f.Name(id), value); else element!.Set(f.Name(id), value); }
            return this;
        }
    }
}

/// <summary>The process fields the builder fills, in the order of <see cref="ProcessFields.Suffixes"/>.</summary>
internal enum ProcessField
{
    Pid, Ppid, Tid, Comm, TtyName, CreatedAt, IsThread, IsKworker, IsExec, Argv0, Argv, ArgsTruncated, Envs, Envp, EnvsTruncated,
    Uid, Gid, Euid, Egid, Fsuid, Fsgid, Auid, User, Group, Euser, Egroup, Fsuser, Fsgroup, CapEffective, CapPermitted,
    ContainerId, CgroupId, FilePath, FileName, FileExtension, FileInode, FileMode, FileUid, FileGid, FileUser, FileGroup,
    FileModificationTime, FileChangeTime,
}

/// <summary>The full SECL names of the process fields under one prefix (built once, not per event) and which the rules read.</summary>
internal sealed class ProcessFields
{
    public static readonly string[] Suffixes =
    [
        "pid", "ppid", "tid", "comm", "tty_name", "created_at", "is_thread", "is_kworker", "is_exec", "argv0", "argv", "args_truncated",
        "envs", "envp", "envs_truncated", "uid", "gid", "euid", "egid", "fsuid", "fsgid", "auid", "user", "group", "euser", "egroup",
        "fsuser", "fsgroup", "cap_effective", "cap_permitted", "container.id", "cgroup.id", "file.path", "file.name", "file.extension",
        "file.inode", "file.mode", "file.uid", "file.gid", "file.user", "file.group", "file.modification_time", "file.change_time",
    ];

    private readonly string[] _names;
    private readonly bool[] _wanted;

    public ProcessFields(string prefix, SeclFieldPlan plan)
    {
        Prefix = prefix;
        _names = [.. Suffixes.Select(s => $"{prefix}.{s}")];
        _wanted = [.. _names.Select(plan.Wants)];
        Any = _wanted.Contains(true);
    }

    public string Prefix { get; }

    /// <summary>False when no rule reads any field of this prefix (the parent or ancestors are then not filled at all).</summary>
    public bool Any { get; }

    public bool Wants(ProcessField field) => _wanted[(int)field];

    public string Name(ProcessField field) => _names[(int)field];
}
