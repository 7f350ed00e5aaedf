using System.Buffers;

namespace Vigil.Ingest.Intake;

/// <summary>
/// A growable byte buffer rented from the shared pool: a batch body (up to megabytes) is read, decompressed and
/// parsed without allocating a new large array per request, which would land on the large object heap and drive
/// full collections. Return it (Dispose) only once nothing can still read it.
/// </summary>
public sealed class PooledBuffer(int initialCapacity) : IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 4096));

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    /// <summary>Room for at least <paramref name="atLeast"/> more bytes, to fill and then <see cref="Advance"/>.</summary>
    public Memory<byte> GetMemory(int atLeast = 1)
    {
        if (_array.Length - Length < atLeast)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, Length + atLeast));
            _array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }
        return _array.AsMemory(Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Reads <paramref name="source"/> to its end; false (and stops) once more than <paramref name="limit"/> bytes came.</summary>
    public async Task<bool> ReadToEndAsync(Stream source, long limit, CancellationToken ct)
    {
        int read;
        while ((read = await source.ReadAsync(GetMemory(16 * 1024), ct)) > 0)
        {
            if (Length + read > limit)
                return false;
            Advance(read);
        }
        return true;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }
}
