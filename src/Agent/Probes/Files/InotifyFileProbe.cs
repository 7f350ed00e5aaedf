using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Vigil.Agent.Probes.Files;

/// <summary>
/// The fallback file probe: inotify watches on every directory below the prefixes (new directories are
/// added as they appear). It sees the same operations, but inotify reports no pid (records carry
/// <c>Pid = null</c>) and a directory created and filled faster than its watch is added is missed.
/// Renames are paired by cookie; a move out of the watched tree is reported as an unlink, a move in as a create.
/// </summary>
public sealed unsafe class InotifyFileProbe(FileProbeOptions options, ChannelWriter<FileActivity> output, string? fanotifyFailure = null)
    : IFileProbe
{
    private const int BufferSize = 64 * 1024;
    private const uint InModify = 0x2, InAttrib = 0x4, InCloseWrite = 0x8, InOpen = 0x20, InMovedFrom = 0x40, InMovedTo = 0x80;
    private const uint InCreate = 0x100, InDelete = 0x200, InQueueOverflow = 0x4000, InIgnored = 0x8000;
    private const uint InDontFollow = 0x2000000, InExclUnlink = 0x4000000, InIsDir = 0x40000000;
    private const int InNonBlock = 0x800, InCloseOnExec = 0x80000;

    private readonly IReadOnlyList<string> _prefixes = options.NormalizedPrefixes();
    private readonly Dictionary<int, string> _watches = [];
    private readonly FileStatCache _cache = new(options.StatCacheEntries);
    private FileActivityEmitter? _emitter;
    private PrefixFilter? _filter;
    private Thread? _reader;
    private volatile bool _stopping;
    private int _fd = -1;
    private long _losses;
    private string _status = "files: inotify not started";

    public string Status => _status;
    public long KernelLosses => Interlocked.Read(ref _losses);
    public long ChannelDrops => _emitter?.Drops ?? 0;

    private uint Mask => InModify | InAttrib | InCloseWrite | InMovedFrom | InMovedTo | InCreate | InDelete | InDontFollow | InExclUnlink
        | (options.ReportOpens ? InOpen : 0);

    public bool Start()
    {
        _fd = FileSystemNative.InotifyInit(InNonBlock | InCloseOnExec);
        if (_fd < 0)
        {
            _status = $"files: unavailable: inotify_init1 failed: {Errno.Describe(Marshal.GetLastPInvokeError())}";
            return false;
        }
        _filter = new PrefixFilter(_prefixes);
        _emitter = new FileActivityEmitter(output, _cache, "inotify");
        foreach (var prefix in _prefixes)
        {
            if (Directory.Exists(prefix))
                WatchTree(prefix);
            else if (Path.GetDirectoryName(prefix) is { } parent && Directory.Exists(parent))
                AddWatch(parent); // the prefix itself may appear later
        }
        _cache.Scan(_prefixes, options.InitialScanEntries);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "vigil inotify reader" };
        _reader.Start();
        var why = fanotifyFailure is null ? "forced" : $"fanotify {fanotifyFailure.Replace("files: ", "", StringComparison.Ordinal)}";
        _status = $"files: inotify fallback ({why}; no pid; {_watches.Count} directories watched)";
        return true;
    }

    public void Stop()
    {
        _stopping = true;
        _reader?.Join();
        _reader = null;
        if (_fd >= 0)
            _ = FileSystemNative.Close(_fd);
        _fd = -1;
    }

    public void Dispose() => Stop();

    private void WatchTree(string directory)
    {
        AddWatch(directory);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var child in Directory.EnumerateDirectories(directory, "*", options))
            AddWatch(child);
    }

    private void AddWatch(string directory)
    {
        var wd = FileSystemNative.InotifyAddWatch(_fd, directory, Mask);
        if (wd >= 0)
            _watches[wd] = directory;
        else if (Marshal.GetLastPInvokeError() == 28)
            _status = $"files: inotify fallback (watch limit reached at {_watches.Count} directories; raise fs.inotify.max_user_watches)";
    }

    private void ReadLoop()
    {
        var buffer = (byte*)NativeMemory.Alloc(BufferSize);
        try
        {
            // The kernel queues a move's two halves one after the other, and a read can come in between: a half
            // left unpaired waits for the next read, briefly, before it is taken for a move out of the tree.
            var movedFrom = new Dictionary<uint, string>();
            var readsCarried = 0;
            while (!_stopping)
            {
                if (!FileSystemNative.WaitReadable(_fd, movedFrom.Count > 0 ? 10 : 200))
                {
                    ReportMovedOut(movedFrom);
                    continue;
                }
                var read = FileSystemNative.Read(_fd, buffer, BufferSize);
                if (read <= 0)
                    continue;
                for (var offset = 0; offset + 16 <= read;)
                {
                    var span = new ReadOnlySpan<byte>(buffer + offset, (int)(read - offset));
                    var wd = BinaryPrimitives.ReadInt32LittleEndian(span);
                    var mask = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
                    var cookie = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
                    var nameLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
                    if (16 + nameLength > span.Length)
                        break;
                    var name = span.Slice(16, nameLength);
                    var end = name.IndexOf((byte)0);
                    Handle(wd, mask, cookie, System.Text.Encoding.UTF8.GetString(end < 0 ? name : name[..end]), movedFrom);
                    offset += 16 + nameLength;
                }
                readsCarried = movedFrom.Count == 0 ? 0 : readsCarried + 1;
                if (readsCarried > 2)
                {
                    ReportMovedOut(movedFrom);
                    readsCarried = 0;
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>A move whose other half never came left the watched tree: reported as a delete.</summary>
    private void ReportMovedOut(Dictionary<uint, string> movedFrom)
    {
        foreach (var gone in movedFrom.Values)
            _emitter!.Changed(gone, FileChange.Delete, null);
        movedFrom.Clear();
    }

    private void Handle(int wd, uint mask, uint cookie, string name, Dictionary<uint, string> movedFrom)
    {
        if ((mask & InQueueOverflow) != 0)
        {
            Interlocked.Increment(ref _losses);
            return;
        }
        if ((mask & InIgnored) != 0)
        {
            _watches.Remove(wd);
            return;
        }
        if (!_watches.TryGetValue(wd, out var directory))
            return;
        var path = name.Length == 0 ? directory : directory == "/" ? "/" + name : directory + "/" + name;
        var isDirectory = (mask & InIsDir) != 0;

        if ((mask & InMovedFrom) != 0)
        {
            movedFrom[cookie] = path;
            return;
        }
        if ((mask & InMovedTo) != 0)
        {
            if (movedFrom.Remove(cookie, out var from))
            {
                if (isDirectory)
                    RenameWatches(from, path);
                if (_filter!.Matches(from) || _filter.Matches(path))
                    _emitter!.Renamed(from, path, null);
            }
            else if (_filter!.Matches(path))
            {
                if (isDirectory)
                    WatchTree(path);
                _emitter!.Changed(path, FileChange.Create | (isDirectory ? FileChange.IsDirectory : 0), null);
            }
            return;
        }
        if (!_filter!.Matches(path))
            return;
        if (isDirectory && (mask & InCreate) != 0)
            WatchTree(path);

        var change = FileChange.None;
        if ((mask & InCreate) != 0) change |= FileChange.Create;
        if ((mask & InOpen) != 0) change |= FileChange.Open;
        if ((mask & InModify) != 0) change |= FileChange.Modify;
        if ((mask & InCloseWrite) != 0) change |= FileChange.CloseWrite;
        if ((mask & InAttrib) != 0) change |= FileChange.Attrib;
        if ((mask & InDelete) != 0) change |= FileChange.Delete;
        if (change == FileChange.None)
            return;
        // inotify reports ATTRIB, OPEN of a watched directory itself both on it and in its parent: keep the parent's.
        if (name.Length == 0 && isDirectory)
            return;
        _emitter!.Changed(path, change | (isDirectory ? FileChange.IsDirectory : 0), null);
    }

    /// <summary>A watched directory moved: the paths of its watch and those below it follow.</summary>
    private void RenameWatches(string from, string to)
    {
        foreach (var (wd, directory) in _watches.ToList())
        {
            if (directory == from)
                _watches[wd] = to;
            else if (directory.StartsWith(from + "/", StringComparison.Ordinal))
                _watches[wd] = to + directory[from.Length..];
        }
    }
}
