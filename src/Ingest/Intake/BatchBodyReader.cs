using System.IO.Compression;
using ZstdSharp;

namespace Vigil.Ingest.Intake;

/// <summary>Why a request body could not be read.</summary>
public enum BodyReadFailure { None, TooLarge, UnsupportedEncoding, CorruptCompression }

/// <summary>A batch body read from a request: the bytes as posted and their decompressed JSON, in pooled buffers.</summary>
public sealed class PostedBody(PooledBuffer posted, PooledBuffer json, string? encoding) : IDisposable
{
    /// <summary>The bytes as they came over the wire (compressed when <see cref="Encoding"/> is set).</summary>
    public ReadOnlyMemory<byte> Posted => posted.Memory;

    /// <summary>The batch's JSON.</summary>
    public ReadOnlyMemory<byte> Json => json.Memory;

    /// <summary><c>gzip</c>, <c>zstd</c>, or null when the body was not compressed.</summary>
    public string? Encoding => encoding;

    public void Dispose()
    {
        posted.Dispose();
        json.Dispose();
    }
}

/// <summary>
/// Reads a batch body, decompressing gzip or zstd, and stops as soon as either the compressed or the
/// decompressed size passes its limit — a decompression bomb costs at most the limit in memory. Both the
/// posted bytes and the JSON are kept: the posted bytes travel on the bus, the JSON is validated here.
/// </summary>
public static class BatchBodyReader
{
    public static async Task<(PostedBody? Body, BodyReadFailure Failure, string? Detail)> ReadAsync(
        HttpRequest request, IngestOptions options, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > options.MaxCompressedBytes)
            return (null, BodyReadFailure.TooLarge, $"The body is {declared} bytes; the limit is {options.MaxCompressedBytes}.");

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is not ("" or "identity" or "gzip" or "zstd"))
            return (null, BodyReadFailure.UnsupportedEncoding, $"Content-Encoding '{encoding}' is not supported; use gzip, zstd or none.");

        var posted = new PooledBuffer((int)Math.Min(request.ContentLength ?? 64 * 1024, options.MaxCompressedBytes));
        var json = posted;
        try
        {
            if (!await posted.ReadToEndAsync(request.Body, options.MaxCompressedBytes, ct))
                return Fail(BodyReadFailure.TooLarge, $"The body exceeds {options.MaxCompressedBytes} bytes.");
            if (encoding is "" or "identity")
                return (new PostedBody(posted, posted, null), BodyReadFailure.None, null); // one buffer, disposed twice harmlessly

            json = new PooledBuffer((int)Math.Min(posted.Length * 8L, options.MaxDecompressedBytes));
            try
            {
                if (!await Decompress(encoding, posted.Memory, json, options.MaxDecompressedBytes, ct))
                    return Fail(BodyReadFailure.TooLarge, $"The decompressed batch exceeds {options.MaxDecompressedBytes} bytes.");
            }
            catch (Exception e) when (e is InvalidDataException or ZstdException or IOException)
            {
                return Fail(BodyReadFailure.CorruptCompression, $"The body is not valid {encoding} data.");
            }
            return (new PostedBody(posted, json, encoding), BodyReadFailure.None, null);
        }
        catch
        {
            Release();
            throw;
        }

        (PostedBody?, BodyReadFailure, string?) Fail(BodyReadFailure failure, string detail)
        {
            Release();
            return (null, failure, detail);
        }

        void Release()
        {
            posted.Dispose();
            json.Dispose();
        }
    }

    /// <summary>Decompresses gzip or zstd <paramref name="compressed"/> into <paramref name="into"/>; false past <paramref name="limit"/> bytes.</summary>
    public static async Task<bool> Decompress(string encoding, ReadOnlyMemory<byte> compressed, PooledBuffer into, long limit, CancellationToken ct)
    {
        var source = new ReadOnlyMemoryStream(compressed);
        await using Stream decoded = encoding switch
        {
            "gzip" => new GZipStream(source, CompressionMode.Decompress),
            "zstd" => new DecompressionStream(source),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "not a supported encoding"),
        };
        return await into.ReadToEndAsync(decoded, limit, ct);
    }

    /// <summary>A read-only stream over memory the caller owns (the posted bytes, decompressed from there).</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => memory.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
