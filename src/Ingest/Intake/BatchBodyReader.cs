using System.IO.Compression;
using ZstdSharp;

namespace Vigil.Ingest.Intake;

/// <summary>Why a request body could not be read.</summary>
public enum BodyReadFailure { None, TooLarge, UnsupportedEncoding, CorruptCompression }

/// <summary>
/// Reads a batch body, decompressing gzip or zstd, and stops as soon as either the compressed or the
/// decompressed size passes its limit — a decompression bomb costs at most the limit in memory.
/// </summary>
public static class BatchBodyReader
{
    public static async Task<(byte[]? Body, BodyReadFailure Failure, string? Detail)> ReadAsync(
        HttpRequest request, IngestOptions options, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > options.MaxCompressedBytes)
            return (null, BodyReadFailure.TooLarge, $"The body is {declared} bytes; the limit is {options.MaxCompressedBytes}.");

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        var raw = new LimitedReadStream(request.Body, options.MaxCompressedBytes);
        Stream decoded;
        switch (encoding)
        {
            case "" or "identity": decoded = raw; break;
            case "gzip": decoded = new GZipStream(raw, CompressionMode.Decompress); break;
            case "zstd": decoded = new DecompressionStream(raw); break;
            default:
                return (null, BodyReadFailure.UnsupportedEncoding,
                    $"Content-Encoding '{encoding}' is not supported; use gzip, zstd or none.");
        }

        await using (decoded)
        {
            var limit = encoding is "" or "identity" ? options.MaxCompressedBytes : options.MaxDecompressedBytes;
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            try
            {
                int read;
                while ((read = await decoded.ReadAsync(chunk, ct)) > 0)
                {
                    if (buffer.Length + read > limit)
                        return (null, BodyReadFailure.TooLarge, $"The decompressed batch exceeds {limit} bytes.");
                    buffer.Write(chunk, 0, read);
                }
            }
            catch (LimitExceededException)
            {
                return (null, BodyReadFailure.TooLarge, $"The body exceeds {options.MaxCompressedBytes} bytes.");
            }
            catch (Exception e) when (e is InvalidDataException or ZstdException or IOException)
            {
                return (null, BodyReadFailure.CorruptCompression, $"The body is not valid {encoding} data.");
            }
            return (buffer.ToArray(), BodyReadFailure.None, null);
        }
    }

    private sealed class LimitExceededException() : IOException("request body limit exceeded");

    /// <summary>Counts bytes read from the wire and fails once the limit is passed (chunked bodies have no length).</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Count(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int n)
        {
            _read += n;
            if (_read > limit)
                throw new LimitExceededException();
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
