using System.Globalization;
using System.Net;

namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// Best-effort pid of the process that sent a UDP datagram: the source port in /proc/net/udp or udp6 gives
/// the socket inode, and the process holding it is found by scanning /proc/*/fd for <c>socket:[inode]</c>.
/// Found owners are cached by inode (checked to be still alive before reuse); a scan costs milliseconds,
/// and a client that closed its socket before the lookup cannot be found at all.
/// </summary>
internal sealed class UdpSocketOwnerResolver
{
    private const int MaxCacheEntries = 4096;
    private readonly Dictionary<ulong, int> _ownerByInode = [];

    public int? Resolve(IPAddress source, int sourcePort)
    {
        var inode = FindInode(source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? ["/proc/net/udp", "/proc/net/udp6"] // a dual-stack socket may send IPv4 from udp6
            : ["/proc/net/udp6"], sourcePort);
        if (inode is null or 0)
            return null;
        if (_ownerByInode.TryGetValue(inode.Value, out var cached) && HoldsSocket(cached, inode.Value))
            return cached;
        var owner = ScanProcesses(inode.Value);
        if (owner is { } pid)
        {
            if (_ownerByInode.Count >= MaxCacheEntries)
                _ownerByInode.Clear();
            _ownerByInode[inode.Value] = pid;
        }
        return owner;
    }

    /// <summary>The inode of the socket bound to the local port (column 2 = local address:port in hex, column 10 = inode).</summary>
    private static ulong? FindInode(string[] tables, int port)
    {
        var portHex = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in tables)
        {
            IEnumerable<string> lines;
            try
            {
                lines = File.ReadLines(table).Skip(1);
            }
            catch (IOException)
            {
                continue;
            }
            foreach (var line in lines)
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 10)
                    continue;
                var local = columns[1];
                var colon = local.LastIndexOf(':');
                if (colon < 0 || !local.AsSpan(colon + 1).Equals(portHex, StringComparison.OrdinalIgnoreCase))
                    continue;
                if (ulong.TryParse(columns[9], CultureInfo.InvariantCulture, out var inode) && inode != 0)
                    return inode;
            }
        }
        return null;
    }

    private static int? ScanProcesses(ulong inode)
    {
        var target = $"socket:[{inode}]";
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
                continue;
            if (HoldsSocket(pid, target))
                return pid;
        }
        return null;
    }

    private static bool HoldsSocket(int pid, ulong inode) => HoldsSocket(pid, $"socket:[{inode}]");

    private static bool HoldsSocket(int pid, string target)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (new FileInfo(fd).LinkTarget == target)
                    return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited while we looked.
        }
        return false;
    }
}
