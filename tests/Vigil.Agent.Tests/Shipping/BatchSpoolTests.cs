using Vigil.Agent.Shipping;

namespace Vigil.Agent.Tests.Shipping;

/// <summary>The on-disk spool on a real filesystem: recovery after a restart or a crash, and its size limit.</summary>
public sealed class BatchSpoolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vigil-spool-").FullName;

    [Fact]
    public void Spool_ReopenedAfterACrash_KeepsFinishedBatchesInOrderAndDropsHalfWrittenOnes()
    {
        var first = new BatchSpool(_directory, 1 << 20, SpoolFsyncPolicy.EveryBatch);
        Assert.True(first.TryAppend("batch-a", 3, "aaa"u8));
        Assert.True(first.TryAppend("batch-b", 1, "bb"u8));
        File.WriteAllText(Path.Combine(_directory, "000000000009_5_batch-c.batch.tmp"), "half");
        File.WriteAllText(Path.Combine(_directory, "README"), "not a batch");

        var reopened = new BatchSpool(_directory, 1 << 20, SpoolFsyncPolicy.EveryBatch);
        Assert.Equal((2, 5L), (reopened.Count, reopened.Bytes));
        var oldest = reopened.Oldest()!;
        Assert.Equal(("batch-a", 3), (oldest.BatchId, oldest.EventCount));
        Assert.Equal("aaa"u8.ToArray(), reopened.Read(oldest));
        reopened.Remove(oldest);
        Assert.Equal("batch-b", reopened.Oldest()!.BatchId);
        Assert.True(reopened.TryAppend("batch-d", 1, "d"u8));

        var again = new BatchSpool(_directory, 1 << 20, SpoolFsyncPolicy.Never);
        Assert.Equal(["batch-b", "batch-d"], Drain(again));
        Assert.False(File.Exists(Path.Combine(_directory, "000000000009_5_batch-c.batch.tmp")));
        Assert.True(File.Exists(Path.Combine(_directory, "README")));
    }

    [Fact]
    public void Spool_AtItsLimit_RefusesABatchAndAcceptsAgainOnceSpaceIsFreed()
    {
        var spool = new BatchSpool(_directory, 4096, SpoolFsyncPolicy.EveryBatch);
        Assert.True(spool.TryAppend("one", 1, new byte[3000]));
        Assert.False(spool.TryAppend("two", 1, new byte[2000]));
        Assert.Equal((1, 3000L), (spool.Count, spool.Bytes));
        spool.Remove(spool.Oldest()!);
        Assert.True(spool.TryAppend("two", 1, new byte[2000]));
        Assert.Single(Directory.GetFiles(_directory, "*.batch"));
    }

    private static List<string> Drain(BatchSpool spool)
    {
        var ids = new List<string>();
        while (spool.Oldest() is { } batch)
        {
            ids.Add(batch.BatchId);
            spool.Remove(batch);
        }
        return ids;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
