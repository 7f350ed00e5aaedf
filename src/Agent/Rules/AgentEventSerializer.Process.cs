using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Agent.Probes;
using Vigil.Agent.Process;

namespace Vigil.Agent.Rules;

/// <summary>
/// Datadog's ProcessContext: the process, its parent and its ancestors (parent first). Each process's own object
/// is written once and kept on its cache entry (<see cref="ProcessEntry.SerializedJson"/>, dropped when the entry
/// changes or user names are reloaded): every event of a process tree repeats the same ancestors. As Datadog's
/// serializer does ("dedup args/envs" in its process context), an ancestor that shares its parent's arguments — a
/// fork that did not exec, such as a subshell — is written without argv0, args and envs: its parent, next in the
/// list, carries them.
/// </summary>
public sealed partial class AgentEventSerializer
{
    private static readonly ConcurrentDictionary<long, string[]> CapabilityCache = new();
    private const int MaxFragments = 1024;
    private readonly ArrayBufferWriter<byte> _smallFragmentBuffer = new(2048);
    private readonly Utf8JsonWriter _smallFragmentWriter = new(Stream.Null, WriterOptions);
    private readonly Dictionary<Credentials, byte[]> _credentialsJson = [];
    private readonly Dictionary<ExecutableFile, byte[]> _executableJson = [];
    private (string[]? Names, byte[] Json) _lastEnvNames = (null, []);
    private int _fragmentsVersion = int.MinValue;

    /// <summary>The process tree as a JSON object (ptrace tracee, signal target, tests).</summary>
    public JsonObject ProcessTree(ProcessEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteProcessTree(writer, entry, null);
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    private void WriteProcessTree(Utf8JsonWriter writer, ProcessEntry entry, JsonObject? credentialsDestination)
    {
        writer.WriteStartObject();
        WriteProcessFields(writer, entry, credentialsDestination);
        if (entry.Parent is { } parent)
        {
            writer.WritePropertyName("parent"u8);
            writer.WriteRawValue(CachedProcess(parent), skipInputValidation: true);
            writer.WriteStartArray("ancestors"u8);
            foreach (var ancestor in entry.Ancestors()) writer.WriteRawValue(CachedProcess(ancestor), skipInputValidation: true);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private byte[] CachedProcess(ProcessEntry entry)
    {
        var version = users.Version; // read first: a reload while writing leaves the copy stale, not wrongly current
        if (entry.SerializedJson is { } cached && cached.UsersVersion == version) return cached.Json;
        _fragmentBuffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_fragmentBuffer, WriterOptions))
        {
            writer.WriteStartObject();
            WriteProcessFields(writer, entry, null, withArguments: !SharesParentArguments(entry));
            writer.WriteEndObject();
        }
        var json = _fragmentBuffer.WrittenSpan.ToArray();
        entry.SerializedJson = (json, version);
        return json;
    }

    /// <summary>A fork that did not exec holds its parent's argv and environment arrays (<see cref="ProcessEntry.ForkChild"/>).</summary>
    internal static bool SharesParentArguments(ProcessEntry e) =>
        e.Parent is { } parent && e.Argv.Length > 0 && ReferenceEquals(e.Argv, parent.Argv) && ReferenceEquals(e.Envp, parent.Envp);

    private void WriteProcessFields(Utf8JsonWriter w, ProcessEntry e, JsonObject? credentialsDestination, bool withArguments = true)
    {
        var c = e.Credentials;
        w.WriteNumber("pid"u8, e.Pid);
        w.WriteNumber("ppid"u8, e.Ppid);
        w.WriteNumber("tid"u8, e.Pid);
        w.WriteNumber("uid"u8, c.Uid);
        w.WriteNumber("gid"u8, c.Gid);
        w.WriteString("user"u8, users.User(c.Uid));
        w.WriteString("group"u8, users.Group(c.Gid));
        w.WriteString("comm"u8, e.Comm);
        WriteDate(w, "fork_time"u8, e.ForkTimeNs);
        WriteDate(w, "exec_time"u8, e.ExecTimeNs != 0 ? e.ExecTimeNs : e.ForkTimeNs);
        w.WritePropertyName("credentials"u8);
        if (credentialsDestination is null) w.WriteRawValue(CredentialsJson(c), skipInputValidation: true);
        else WriteCredentials(w, c, credentialsDestination);
        w.WritePropertyName("executable"u8);
        w.WriteRawValue(ExecutableJson(e.Executable), skipInputValidation: true);
        if (withArguments)
        {
            w.WriteString("argv0"u8, e.Argv.Length > 0 ? e.Argv[0] : "");
            w.WriteStartArray("args"u8);
            for (var i = 1; i < e.Argv.Length; i++) w.WriteStringValue(e.Argv[i]);
            w.WriteEndArray();
            w.WriteBoolean("args_truncated"u8, e.ArgsTruncated);
            w.WritePropertyName("envs"u8);
            w.WriteRawValue(EnvNamesJson(e.EnvNames), skipInputValidation: true);
            w.WriteBoolean("envs_truncated"u8, e.EnvsTruncated);
        }
        w.WriteBoolean("is_thread"u8, false);
        w.WriteBoolean("is_exec_child"u8, e.IsExec);
        w.WriteString("source"u8, e.Source);
        if (e.ExitTimeNs != 0) WriteDate(w, "exit_time"u8, e.ExitTimeNs);
        if (e.Tty is not null) w.WriteString("tty"u8, e.Tty);
        if (e.ContainerId is { Length: > 0 } container)
        {
            w.WriteStartObject("container"u8);
            w.WriteString("id"u8, container);
            w.WriteEndObject();
        }
        if (e.Missing.Length > 0) w.WriteString("path_resolution_error"u8, $"not read: {e.Missing}");
    }

    /// <summary>
    /// The credentials object as JSON, kept per distinct credentials (a host has few): with user and group names and
    /// ~40 capability names it is most of a process's JSON, and every exec writes one for the new image.
    /// </summary>
    private byte[] CredentialsJson(Credentials c)
    {
        CheckFragmentsVersion();
        if (_credentialsJson.TryGetValue(c, out var json)) return json;
        WriteCredentials(FragmentWriter(), c, null);
        json = FragmentBytes();
        if (_credentialsJson.Count >= MaxFragments) _credentialsJson.Clear();
        _credentialsJson[c] = json;
        return json;
    }

    /// <summary>The executable object as JSON, kept per distinct file (path, inode, owner, mode, size, times).</summary>
    private byte[] ExecutableJson(ExecutableFile f)
    {
        CheckFragmentsVersion();
        if (_executableJson.TryGetValue(f, out var json)) return json;
        WriteExecutable(FragmentWriter(), f);
        json = FragmentBytes();
        if (_executableJson.Count >= MaxFragments) _executableJson.Clear();
        _executableJson[f] = json;
        return json;
    }

    /// <summary>The envs array as JSON for the last names array written (images started by one shell share it).</summary>
    private byte[] EnvNamesJson(string[] names)
    {
        if (ReferenceEquals(_lastEnvNames.Names, names)) return _lastEnvNames.Json;
        WriteStrings(FragmentWriter(), names);
        var json = FragmentBytes();
        _lastEnvNames = (names, json);
        return json;
    }

    /// <summary>User and group names are part of the cached fragments: a reload of the user directory drops them.</summary>
    private void CheckFragmentsVersion()
    {
        var version = users.Version;
        if (version == _fragmentsVersion) return;
        _credentialsJson.Clear();
        _executableJson.Clear();
        _fragmentsVersion = version;
    }

    private Utf8JsonWriter FragmentWriter()
    {
        _smallFragmentBuffer.ResetWrittenCount();
        _smallFragmentWriter.Reset(_smallFragmentBuffer);
        return _smallFragmentWriter;
    }

    private byte[] FragmentBytes()
    {
        _smallFragmentWriter.Flush();
        return _smallFragmentBuffer.WrittenSpan.ToArray();
    }

    private void WriteCredentials(Utf8JsonWriter w, Credentials c, JsonObject? credentialsDestination)
    {
        w.WriteStartObject();
        w.WriteNumber("uid"u8, c.Uid);
        w.WriteString("user"u8, users.User(c.Uid));
        w.WriteNumber("gid"u8, c.Gid);
        w.WriteString("group"u8, users.Group(c.Gid));
        w.WriteNumber("euid"u8, c.Euid);
        w.WriteString("euser"u8, users.User(c.Euid));
        w.WriteNumber("egid"u8, c.Egid);
        w.WriteString("egroup"u8, users.Group(c.Egid));
        w.WriteNumber("fsuid"u8, c.Fsuid);
        w.WriteString("fsuser"u8, users.User(c.Fsuid));
        w.WriteNumber("fsgid"u8, c.Fsgid);
        w.WriteString("fsgroup"u8, users.Group(c.Fsgid));
        w.WriteNumber("auid"u8, c.Auid);
        WriteStrings(w, "cap_effective"u8, CapabilityNames((long)c.CapEffective));
        WriteStrings(w, "cap_permitted"u8, CapabilityNames((long)c.CapPermitted));
        if (credentialsDestination is not null)
        {
            w.WritePropertyName("destination"u8);
            credentialsDestination.WriteTo(w);
        }
        w.WriteEndObject();
    }

    private void WriteExecutable(Utf8JsonWriter w, ExecutableFile f)
    {
        w.WriteStartObject();
        w.WriteString("path"u8, f.Path);
        w.WriteString("name"u8, f.Name);
        w.WriteNumber("uid"u8, f.Uid);
        w.WriteNumber("gid"u8, f.Gid);
        if (f.Inode == 0)
        {
            w.WriteString("path_resolution_error"u8, f.Path.Length == 0 ? "no executable (kernel thread or unreadable)" : "could not stat the executable");
            w.WriteEndObject();
            return;
        }
        w.WriteNumber("inode"u8, f.Inode);
        w.WriteNumber("mode"u8, f.Mode);
        w.WriteString("user"u8, users.User(f.Uid));
        w.WriteString("group"u8, users.Group(f.Gid));
        WriteDate(w, "modification_time"u8, f.ModificationTimeNs);
        WriteDate(w, "change_time"u8, f.ChangeTimeNs);
        w.WriteStartObject("metadata"u8);
        w.WriteNumber("size"u8, f.Size);
        w.WriteBoolean("is_executable"u8, (f.Mode & 0x49) != 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, string[] values)
    {
        w.WritePropertyName(name);
        WriteStrings(w, values);
    }

    private static void WriteStrings(Utf8JsonWriter w, string[] values)
    {
        w.WriteStartArray();
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    /// <summary>Unix nanoseconds as "yyyy-MM-ddTHH:mm:ss.fffffffZ" (the round-trip format of a UTC time, 100 ns precision).</summary>
    private static void WriteDate(Utf8JsonWriter w, ReadOnlySpan<byte> name, long unixNs)
    {
        Span<byte> text = stackalloc byte[40];
        DateTime.UnixEpoch.AddTicks(unixNs / 100).TryFormat(text, out var length, "O");
        w.WriteString(name, text[..length]);
    }

    /// <summary>Capability names of a mask; few distinct masks exist on a host, so the names are cached per mask.</summary>
    private static string[] CapabilityNames(long mask) =>
        CapabilityCache.Count < 1024 ? CapabilityCache.GetOrAdd(mask, CapabilityList) : CapabilityList(mask);
}
