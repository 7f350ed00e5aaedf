using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using static Vigil.Agent.Probes.Files.FanotifyConstants;

namespace Vigil.Agent.Probes.Files;

/// <summary>
/// File integrity monitoring with fanotify in FID mode: one notification group reporting directory
/// handle + name, object handle and (when the kernel can) a pidfd, with a <c>FAN_MARK_FILESYSTEM</c>
/// mark on every filesystem that holds a watched prefix; records are resolved to full paths and
/// filtered by prefix here, on a dedicated reader thread. Queue overflows are counted as kernel losses.
/// </summary>
public sealed unsafe class FanotifyFileProbe(FileProbeOptions options, ChannelWriter<FileActivity> output) : IFileProbe
{
    private const int BufferSize = 256 * 1024;
    private readonly IReadOnlyList<string> _prefixes = options.NormalizedPrefixes();
    private readonly HandlePathResolver _resolver = new();
    private readonly FileStatCache _cache = new(options.StatCacheEntries);
    private FileActivityEmitter? _emitter;
    private PrefixFilter? _filter;
    private Thread? _reader;
    private volatile bool _stopping;
    private int _fd = -1;
    private bool _pidFd;
    private long _losses;
    private string _status = "files: fanotify not started";

    public string Status => _status;
    public long KernelLosses => Interlocked.Read(ref _losses);
    public long ChannelDrops => _emitter?.Drops ?? 0;

    public bool Start()
    {
        if (_fd >= 0)
            throw new InvalidOperationException("The probe is already started.");
        var init = CloseOnExec | NonBlocking | ClassNotif | ReportFid | ReportDirFid | ReportName;
        _fd = FileSystemNative.FanotifyInit(init | ReportPidFd, FileSystemNative.OReadOnly | FileSystemNative.OLargeFile);
        _pidFd = _fd >= 0;
        if (_fd < 0 && Marshal.GetLastPInvokeError() == FileSystemNative.EINVAL) // kernel before 5.15: no pidfd in FID mode
            _fd = FileSystemNative.FanotifyInit(init, FileSystemNative.OReadOnly | FileSystemNative.OLargeFile);
        if (_fd < 0)
            return Unavailable($"fanotify_init failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");

        var mask = Create | Delete | Rename | Modify | Attrib | CloseWrite | OnDirectory;
        if (options.ReportOpens)
            mask |= Open | OpenExec;
        foreach (var prefix in _prefixes)
        {
            var existing = ExistingAncestor(prefix);
            if (FileSystemNative.FilesystemId(existing) is not { } fsid)
                return Unavailable($"statfs {existing} failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
            try
            {
                if (!_resolver.AddFilesystem(fsid, existing))
                    continue;
            }
            catch (IOException e)
            {
                return Unavailable(e.Message);
            }
            if (FileSystemNative.FanotifyMark(_fd, MarkAdd | MarkFilesystem, mask, FileSystemNative.AtFdCwd, existing) != 0)
                return Unavailable($"fanotify_mark FAN_MARK_FILESYSTEM on {existing} failed: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        }

        _cache.Scan(_prefixes, options.InitialScanEntries);
        _filter = new PrefixFilter(_prefixes);
        _emitter = new FileActivityEmitter(output, _cache, "fanotify");
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "vigil fanotify reader" };
        _reader.Start();
        _status = $"files: fanotify ({(_pidFd ? "FID+PIDFD" : "FID")}, {_resolver.Filesystems} filesystem{(_resolver.Filesystems == 1 ? "" : "s")})";
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
        _resolver.Dispose();
    }

    public void Dispose() => Stop();

    private bool Unavailable(string reason)
    {
        _status = $"files: unavailable: {reason}";
        if (_fd >= 0)
            _ = FileSystemNative.Close(_fd);
        _fd = -1;
        return false;
    }

    private void ReadLoop()
    {
        var buffer = (byte*)NativeMemory.Alloc(BufferSize);
        try
        {
            while (!_stopping)
            {
                if (!FileSystemNative.WaitReadable(_fd, 200))
                    continue;
                var read = FileSystemNative.Read(_fd, buffer, BufferSize);
                if (read < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is FileSystemNative.EAGAIN or FileSystemNative.EINTR)
                        continue;
                    _status = $"files: unavailable: read from fanotify failed: {Errno.Describe(errno)}";
                    return;
                }
                for (var offset = 0; offset + MetadataSize <= read;)
                {
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(buffer + offset, 4));
                    if (length < MetadataSize || offset + length > read)
                        break;
                    Handle(buffer + offset, length);
                    offset += length;
                }
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>One event: metadata, then info records (directory handle + name, object handle, pidfd).</summary>
    private void Handle(byte* evt, int length)
    {
        var metadataLength = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(evt + 6, 2));
        var mask = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(evt + 8, 8));
        var pid = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(evt + 20, 4));
        if ((mask & QueueOverflow) != 0)
        {
            Interlocked.Increment(ref _losses);
            return;
        }

        string? path = null, oldPath = null, newPath = null;
        var own = options.ExcludeOwnProcess && pid == Environment.ProcessId;
        for (var offset = (int)metadataLength; offset + 4 <= length;)
        {
            var type = evt[offset];
            var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(evt + offset + 2, 2));
            if (recordLength < 4 || offset + recordLength > length)
                break;
            var record = evt + offset;
            switch (type)
            {
                case InfoPidFd:
                    var pidFd = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(record + 4, 4));
                    if (pidFd >= 0)
                        _ = FileSystemNative.Close(pidFd); // the pid is in the metadata; the pidfd only has to be released
                    break;
                case InfoDirFidName when !own:
                    path = PathOf(record, recordLength);
                    break;
                case InfoOldDirFidName when !own:
                    oldPath = PathOf(record, recordLength);
                    break;
                case InfoNewDirFidName when !own:
                    newPath = PathOf(record, recordLength);
                    break;
            }
            offset += recordLength;
        }
        if (own)
            return;

        var isDirectory = (mask & OnDirectory) != 0;
        if ((mask & Rename) != 0 && oldPath is not null && newPath is not null)
        {
            if (isDirectory)
                _resolver.Invalidate();
            if (_filter!.Matches(oldPath) || _filter.Matches(newPath))
                _emitter!.Renamed(oldPath, newPath, pid);
        }
        if (path is null || !_filter!.Matches(path))
            return;
        if (isDirectory && (mask & Delete) != 0)
            _resolver.Invalidate();
        var change = ToChange(mask);
        if (change != FileChange.None && change != FileChange.IsDirectory)
            _emitter!.Changed(path, change, pid);
    }

    private static FileChange ToChange(ulong mask)
    {
        var change = FileChange.None;
        if ((mask & Create) != 0) change |= FileChange.Create;
        if ((mask & Open) != 0) change |= FileChange.Open;
        if ((mask & OpenExec) != 0) change |= FileChange.OpenExec;
        if ((mask & Modify) != 0) change |= FileChange.Modify;
        if ((mask & CloseWrite) != 0) change |= FileChange.CloseWrite;
        if ((mask & Attrib) != 0) change |= FileChange.Attrib;
        if ((mask & Delete) != 0) change |= FileChange.Delete;
        if ((mask & OnDirectory) != 0) change |= FileChange.IsDirectory;
        return change;
    }

    /// <summary>A directory-handle + name record: header, fsid, file_handle, then the NUL-terminated name.</summary>
    private string? PathOf(byte* record, int recordLength)
    {
        const int handleStart = 4 + 8;
        if (recordLength < handleStart + 8)
            return null;
        var fsid = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(record + 4, 8));
        var handleBytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(record + handleStart, 4));
        var nameStart = handleStart + 8 + handleBytes;
        if (nameStart > recordLength)
            return null;
        var directory = _resolver.Resolve(fsid, record + handleStart, 8 + handleBytes);
        if (directory is null)
            return null;
        var name = new ReadOnlySpan<byte>(record + nameStart, recordLength - nameStart);
        var end = name.IndexOf((byte)0);
        var text = System.Text.Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
        if (text is "" or ".")
            return directory;
        return directory == "/" ? "/" + text : directory + "/" + text;
    }

    private static string ExistingAncestor(string path)
    {
        var current = path;
        while (!Directory.Exists(current) && Path.GetDirectoryName(current) is { } parent)
            current = parent;
        return current;
    }
}
