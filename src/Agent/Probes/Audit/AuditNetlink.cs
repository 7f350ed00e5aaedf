using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Vigil.Agent.Interop;

namespace Vigil.Agent.Probes.Audit;

/// <summary>
/// The audit netlink protocol, driven directly (no auditd): status get/set and syscall rules.
/// Audit state is system-wide, so the audit probe snapshots it and restores it on stop.
/// </summary>
internal static unsafe class AuditNetlink
{
    public const int NetlinkAudit = 9;
    public const ushort Get = 1000, Set = 1001, AddRule = 1011, DelRule = 1012;
    public const ushort Syscall = 1300, Path = 1302, Execve = 1309, ObjPid = 1318, Eoe = 1320, Proctitle = 1327;
    public const uint MaskEnabled = 1, MaskPid = 4, MaskBacklogLimit = 0x10;
    private const uint FilterExit = 4, ActionAlways = 2, FieldArch = 11, FieldFilterKey = 210, OpEqual = 0x40000000, ArchX8664 = 0xC000003E;
    private const int RuleSize = 1040;

    /// <summary>enabled, failure, pid, rate_limit, backlog_limit … of <c>struct audit_status</c>.</summary>
    public readonly record struct Status(uint Enabled, uint Pid, uint BacklogLimit);

    public static int Open()
    {
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NetlinkAudit);
        if (fd < 0) return -Marshal.GetLastPInvokeError();
        var address = stackalloc byte[12];
        new Span<byte>(address, 12).Clear();
        *(ushort*)address = Libc.AF_NETLINK;
        if (Libc.Bind(fd, address, 12) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Libc.Close(fd);
            return -errno;
        }
        var timeout = stackalloc long[2] { 0, 200_000 };
        _ = Libc.SetSockOpt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, 16);
        return fd;
    }

    /// <summary>Sends one request and returns 0 or the negative errno of the kernel's ack.</summary>
    public static int Request(int fd, ushort type, ReadOnlySpan<byte> payload, Span<byte> reply = default)
    {
        var message = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), 5); // NLM_F_REQUEST | NLM_F_ACK
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), (uint)Environment.TickCount);
        payload.CopyTo(message.AsSpan(16));
        fixed (byte* p = message)
        {
            if (Libc.Send(fd, p, (nuint)message.Length, 0) < 0) return -Marshal.GetLastPInvokeError();
        }
        var buffer = new byte[9000];
        for (var attempts = 0; attempts < 50; attempts++)
        {
            nint read;
            fixed (byte* p = buffer) read = Libc.Recv(fd, p, (nuint)buffer.Length, 0);
            if (read < 0) return -Marshal.GetLastPInvokeError();
            if (read < 16) continue;
            var replyType = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(4));
            if (replyType == 2) // NLMSG_ERROR: ack (0) or -errno
            {
                var error = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(16));
                if (error != 0 || reply.IsEmpty) return error;
                continue; // the ack of a GET may come before or after its data
            }
            if (replyType == type && !reply.IsEmpty)
            {
                buffer.AsSpan(16, Math.Min(reply.Length, (int)read - 16)).CopyTo(reply);
                return 0;
            }
        }
        return -110; // ETIMEDOUT
    }

    public static int GetStatus(int fd, out Status status)
    {
        Span<byte> reply = stackalloc byte[44];
        reply.Clear();
        var result = Request(fd, Get, [], reply);
        status = new Status(BinaryPrimitives.ReadUInt32LittleEndian(reply[4..]), BinaryPrimitives.ReadUInt32LittleEndian(reply[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(reply[20..]));
        return result;
    }

    public static int SetStatus(int fd, uint mask, Status status)
    {
        Span<byte> payload = stackalloc byte[44];
        payload.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(payload, mask);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[4..], status.Enabled);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[12..], status.Pid);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[20..], status.BacklogLimit);
        return Request(fd, Set, payload);
    }

    /// <summary><c>struct audit_rule_data</c>: exit filter, always, x86_64 only, the given syscalls, tagged with <paramref name="key"/>.</summary>
    public static byte[] SyscallRule(IEnumerable<int> syscalls, string key)
    {
        var keyBytes = Encoding.ASCII.GetBytes(key);
        var rule = new byte[RuleSize + keyBytes.Length];
        var span = rule.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, FilterExit);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], ActionAlways);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 2);
        foreach (var nr in syscalls)
        {
            var offset = 12 + nr / 32 * 4;
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]) | 1u << (nr % 32));
        }
        const int fields = 12 + 256, values = fields + 256, flags = values + 256, buflen = flags + 256;
        BinaryPrimitives.WriteUInt32LittleEndian(span[fields..], FieldArch);
        BinaryPrimitives.WriteUInt32LittleEndian(span[values..], ArchX8664);
        BinaryPrimitives.WriteUInt32LittleEndian(span[flags..], OpEqual);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(fields + 4)..], FieldFilterKey);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(values + 4)..], (uint)keyBytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(flags + 4)..], OpEqual);
        BinaryPrimitives.WriteUInt32LittleEndian(span[buflen..], (uint)keyBytes.Length);
        keyBytes.CopyTo(span[RuleSize..]);
        return rule;
    }
}
