using System.Buffers.Binary;
using System.Text;

namespace Vigil.Agent.Probes.Ebpf;

/// <summary>
/// Decodes the ring-buffer records of Bpf/vigil_events.h (offsets mirror the C structs; change both
/// together). Every length read from a record is clamped to the record's own size.
/// </summary>
internal static class EbpfRecordReader
{
    private const int Exec = 1, Fork = 2, Exit = 3, Syscall = 4;
    internal const int HeaderSize = 96;
    private const int ExecSize = 6592, ExecWithMetadataSize = 6632, ForkSize = 104, ExitSize = 104, SyscallSize = 536;

    public static KernelEvent? Read(ReadOnlySpan<byte> record, long bootToWallNs, StringListCache? environments = null)
    {
        if (record.Length < HeaderSize) return null;
        var type = U32(record, 0);
        var pid = (int)U32(record, 4);
        var tid = (int)U32(record, 8);
        var ppid = (int)U32(record, 12);
        var timestamp = (long)U64(record, 16) + bootToWallNs;
        var cgroup = U64(record, 24);
        var credentials = HeaderCredentials(record);
        var comm = HeaderComm(record);
        switch (type)
        {
            case Exec when record.Length >= ExecSize:
                var argsLength = Math.Min((int)U32(record, 108), 4096);
                var envsLength = Math.Min((int)U32(record, 112), 2048);
                return new KernelEvent
                {
                    Kind = KernelEventKind.Exec, Source = "ebpf", Pid = pid, Tid = tid, Ppid = ppid, TimestampNs = timestamp,
                    Credentials = credentials, CredentialsKnown = true, Comm = comm, CgroupId = cgroup,
                    ExeInode = U64(record, 96), ExeDevice = U32(record, 104), ExeMetadata = ExeMetadata(record),
                    ArgsTruncated = U32(record, 116) != 0, EnvsTruncated = U32(record, 120) != 0,
                    Tty = NullIfEmpty(CString(record.Slice(128, 64))),
                    Filename = CString(record.Slice(192, 256)),
                    Argv = SplitNul(record.Slice(448, argsLength), out _),
                    Envp = environments is null ? SplitNul(record.Slice(4544, envsLength), out _) : environments.Get(record.Slice(4544, envsLength)),
                };
            case Fork when record.Length >= ForkSize:
                return new KernelEvent
                {
                    Kind = KernelEventKind.Fork, Source = "ebpf", Pid = (int)U32(record, 96), Tid = tid, Ppid = (int)U32(record, 100),
                    TimestampNs = timestamp, Credentials = credentials, CredentialsKnown = true, Comm = comm, CgroupId = cgroup,
                };
            case Exit when record.Length >= ExitSize:
                return new KernelEvent
                {
                    Kind = KernelEventKind.Exit, Source = "ebpf", Pid = pid, Tid = tid, Ppid = ppid, TimestampNs = timestamp,
                    Credentials = credentials, CredentialsKnown = true, Comm = comm, CgroupId = cgroup, ExitStatus = (int)U32(record, 96),
                };
            case Syscall when record.Length >= SyscallSize:
                var args = new long[6];
                for (var i = 0; i < 6; i++) args[i] = (long)U64(record, 104 + i * 8);
                return new KernelEvent
                {
                    Kind = KernelEventKind.Syscall, Source = "ebpf", Pid = pid, Tid = tid, Ppid = ppid, TimestampNs = timestamp,
                    Credentials = credentials, CredentialsKnown = true, Comm = comm, CgroupId = cgroup,
                    Syscall = (int)U32(record, 96), Args = args,
                    Str0 = CString(record.Slice(152, 128)), Str1 = CString(record.Slice(280, 128)), Str2 = CString(record.Slice(408, 128)),
                    Data = record.Slice(152, 24).ToArray(),
                };
            default:
                return null;
        }
    }

    /// <summary>The credentials of the task in a record's header (struct vigil_header, also used by the DNS records).</summary>
    internal static Credentials HeaderCredentials(ReadOnlySpan<byte> record) =>
        new(U32(record, 32), U32(record, 36), U32(record, 40), U32(record, 44), U32(record, 48), U32(record, 52), U32(record, 56),
            U64(record, 64), U64(record, 72));

    internal static string HeaderComm(ReadOnlySpan<byte> record) => CString(record.Slice(80, 16));

    /// <summary>The exe_meta_* fields after envs, when the record has them and the kernel's inode layout was known.</summary>
    private static ExecutableMetadata? ExeMetadata(ReadOnlySpan<byte> record) =>
        record.Length >= ExecWithMetadataSize && U32(record, 6592) != 0
            ? new ExecutableMetadata(U32(record, 6596), U32(record, 6600), U32(record, 6604), (long)U64(record, 6608), (long)U64(record, 6616), (long)U64(record, 6624))
            : null;

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);

    internal static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>argv/envp as the kernel stores them: NUL-terminated strings back to back.</summary>
    internal static string[] SplitNul(ReadOnlySpan<byte> bytes, out bool cut)
    {
        cut = bytes.Length > 0 && bytes[^1] != 0;
        var count = bytes.Count((byte)0) + (cut ? 1 : 0);
        var items = new string[count];
        for (var i = 0; i < items.Length; i++)
        {
            var end = bytes.IndexOf((byte)0);
            if (end < 0) end = bytes.Length;
            items[i] = Encoding.UTF8.GetString(bytes[..end]);
            bytes = end < bytes.Length ? bytes[(end + 1)..] : [];
        }
        return items;
    }
}

/// <summary>
/// Decoded NUL-separated lists (environments) of the last few distinct byte blocks: the processes a shell starts
/// share its environment, so a storm of execs decodes it once instead of allocating every variable per exec. The
/// returned arrays are shared and must not be modified. One reader thread per instance.
/// </summary>
internal sealed class StringListCache
{
    private const int Slots = 8;
    private readonly byte[]?[] _keys = new byte[Slots][];
    private readonly string[][] _values = new string[Slots][];
    private int _next;

    public string[] Get(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < Slots; i++)
        {
            if (_keys[i] is { } key && key.AsSpan().SequenceEqual(bytes)) return _values[i];
        }
        var value = EbpfRecordReader.SplitNul(bytes, out _);
        _keys[_next] = bytes.ToArray();
        _values[_next] = value;
        _next = (_next + 1) % Slots;
        return value;
    }
}
