using System.Globalization;
using System.Net;

namespace Vigil.Agent.Probes.Dns;

/// <summary>
/// Best-effort pid of the process that sent a UDP datagram: the source port in /proc/net/udp or udp6 gives
/// the socket inode, and the process holding it is found by scanning /proc/*/fd for <c>socket:[inode]</c>.
/// One scan maps every socket inode on the host to its process, so queries from sockets that already
/// existed at the last scan need none; scans run at most every <see cref="MinScanInterval"/> (each one costs
/// tens of milliseconds on a busy host), and a client that closed its socket before the lookup cannot be
/// found at all.
/// </summary>
internal sealed class UdpSocketOwnerResolver
{
    private static readonly TimeSpan MinScanInterval = TimeSpan.FromMilliseconds(100);
    private Dictionary<ulong, int> _ownerByInode = [];
    private long _lastScan = -1_000_000; // "long ago", without overflowing the subtraction below

    public long Scans { get; private set; }

    public int? Resolve(IPAddress source, int sourcePort)
    {
        var inode = FindInode(source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? ["/proc/net/udp", "/proc/net/udp6"] // a dual-stack socket may send IPv4 from udp6
            : ["/proc/net/udp6"], sourcePort);
        if (inode is null or 0)
            return null;
        if (_ownerByInode.TryGetValue(inode.Value, out var cached))
            return cached;
        if (Environment.TickCount64 - _lastScan < MinScanInterval.TotalMilliseconds)
            return null;
        _lastScan = Environment.TickCount64;
        Scans++;
        _ownerByInode = ScanProcesses();
        return _ownerByInode.TryGetValue(inode.Value, out var owner) ? owner : null;
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

    /// <summary>Every socket inode held by a process (the first process found, for sockets shared after fork).</summary>
    private static Dictionary<ulong, int> ScanProcesses()
    {
        var owners = new Dictionary<ulong, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries($"{directory}/fd"))
                {
                    if (ProcLink.Read(fd) is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && ulong.TryParse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture, out var inode))
                        owners.TryAdd(inode, pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited while we looked.
            }
        }
        return owners;
    }
}
