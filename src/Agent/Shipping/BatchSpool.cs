using System.Globalization;

namespace Vigil.Agent.Shipping;

/// <summary>A batch waiting in the spool: its request body is in <see cref="Path"/>.</summary>
public sealed record SpooledBatch(long Sequence, string BatchId, int EventCount, long Bytes, string Path);

/// <summary>
/// The on-disk spool: every batch is written here before it is sent and deleted once Ingest has it.
/// Each batch is one append-only segment file, written once (to a temporary name, fsync'd per the
/// policy, then renamed into place, so a crash never leaves half a batch), never modified, and named
/// <c>{sequence}_{events}_{batch id}.batch</c>: the body inside carries the same batch id, so a batch
/// re-sent after a restart is recognised by Ingest as already stored. The total size is bounded;
/// <see cref="TryAppend"/> refuses a batch that would pass the limit.
/// </summary>
public sealed class BatchSpool
{
    private const string Extension = ".batch";
    private const string TempExtension = ".tmp";
    private readonly Lock _lock = new();
    private readonly SortedList<long, SpooledBatch> _batches = [];
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly SpoolFsyncPolicy _fsync;
    private long _bytes;
    private long _nextSequence = 1;

    public BatchSpool(string directory, long maxBytes, SpoolFsyncPolicy fsync)
    {
        _directory = Path.GetFullPath(directory);
        _maxBytes = maxBytes;
        _fsync = fsync;
        // Owner-only: spooled events hold command lines and paths.
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(_directory);
        else
            Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Recover();
    }

    public long Bytes { get { lock (_lock) return _bytes; } }
    public int Count { get { lock (_lock) return _batches.Count; } }

    /// <summary>Writes a batch; false when it would pass the size limit (nothing is written then).</summary>
    public bool TryAppend(string batchId, int eventCount, ReadOnlySpan<byte> body)
    {
        long sequence;
        lock (_lock)
        {
            if (_bytes + body.Length > _maxBytes)
                return false;
            sequence = _nextSequence++;
            _bytes += body.Length; // reserved now so concurrent appends cannot overshoot together
        }
        var name = string.Create(CultureInfo.InvariantCulture, $"{sequence:D12}_{eventCount}_{batchId}{Extension}");
        var path = Path.Combine(_directory, name);
        var temp = path + TempExtension;
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temp, create))
            {
                file.Write(body);
                file.Flush(flushToDisk: _fsync == SpoolFsyncPolicy.EveryBatch);
            }
            File.Move(temp, path);
            if (_fsync == SpoolFsyncPolicy.EveryBatch)
                SpoolFileSystem.FsyncDirectory(_directory);
        }
        catch
        {
            lock (_lock)
                _bytes -= body.Length;
            File.Delete(temp);
            throw;
        }
        lock (_lock)
            _batches.Add(sequence, new SpooledBatch(sequence, batchId, eventCount, body.Length, path));
        return true;
    }

    /// <summary>The oldest batch still to send, or null when the spool is empty.</summary>
    public SpooledBatch? Oldest()
    {
        lock (_lock)
            return _batches.Count == 0 ? null : _batches.GetValueAtIndex(0);
    }

    public byte[] Read(SpooledBatch batch) => File.ReadAllBytes(batch.Path);

    /// <summary>Forgets a batch Ingest has (or refused for good).</summary>
    public void Remove(SpooledBatch batch)
    {
        File.Delete(batch.Path);
        lock (_lock)
        {
            if (_batches.Remove(batch.Sequence))
                _bytes -= batch.Bytes;
        }
    }

    /// <summary>Loads what a previous run left: finished batch files in order; half-written temporary files are deleted.</summary>
    private void Recover()
    {
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(TempExtension, StringComparison.Ordinal))
            {
                File.Delete(path);
                continue;
            }
            if (!name.EndsWith(Extension, StringComparison.Ordinal))
                continue;
            var parts = name[..^Extension.Length].Split('_', 3);
            if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var sequence)
                || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var events) || parts[2].Length == 0)
                continue; // not ours; leave it alone
            var size = new FileInfo(path).Length;
            _batches[sequence] = new SpooledBatch(sequence, parts[2], events, size, path);
            _bytes += size;
            _nextSequence = Math.Max(_nextSequence, sequence + 1);
        }
    }
}
