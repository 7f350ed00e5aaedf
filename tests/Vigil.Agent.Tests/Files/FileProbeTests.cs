using System.Diagnostics;
using System.Runtime.Versioning;
using System.Threading.Channels;
using Vigil.Agent.Probes.Files;

namespace Vigil.Agent.Tests.Files;

/// <summary>
/// The file probes on the real kernel (tests run as root): a watched directory on the root filesystem and
/// one on /dev/shm (tmpfs), and an unwatched sibling whose activity must not be reported.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FileProbeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vigil-fim-").FullName;
    private readonly string _shm = Path.Combine("/dev/shm", $"vigil-fim-{Guid.NewGuid():N}");
    private readonly Channel<FileActivity> _channel = Channel.CreateBounded<FileActivity>(100_000);
    private readonly List<FileActivity> _seen = [];

    private string Watched => Path.Combine(_root, "watched");
    private string Outside => Path.Combine(_root, "outside");

    public FileProbeTests()
    {
        Directory.CreateDirectory(Watched);
        Directory.CreateDirectory(Outside);
        Directory.CreateDirectory(_shm);
    }

    [Fact]
    public async Task Fanotify_FileOperations_AreReportedWithPathPidAndMetadata()
    {
        using var probe = FileProbe.Start(Options(forceFallback: false), _channel.Writer);
        Assert.Equal("files: fanotify (FID+PIDFD, 2 filesystems)", probe.Status);
        await RunScenarioAsync(expectPids: true, source: "fanotify");
    }

    [Fact]
    public async Task InotifyFallback_Forced_ReportsTheSameOperationsWithoutPid()
    {
        using var probe = FileProbe.Start(Options(forceFallback: true), _channel.Writer);
        Assert.StartsWith("files: inotify fallback (forced; no pid;", probe.Status, StringComparison.Ordinal);
        await RunScenarioAsync(expectPids: false, source: "inotify");
    }

    private FileProbeOptions Options(bool forceFallback) => new()
    {
        Prefixes = [Watched, _shm],
        ForceFallback = forceFallback,
        ExcludeOwnProcess = false, // the test process itself does most of the operations
    };

    private async Task RunScenarioAsync(bool expectPids, string source)
    {
        var self = expectPids ? Environment.ProcessId : (int?)null;
        var file = Path.Combine(Watched, "a.txt");
        await File.WriteAllTextAsync(Path.Combine(Outside, "ignored.txt"), "not watched");
        await File.WriteAllTextAsync(file, "hello");
        var created = await ExpectAsync(FileOperation.Create, file);
        Assert.Equal((self, source), (created.Pid, created.Source));
        var closed = await ExpectAsync(FileOperation.CloseWrite, file);
        var stat = FileMetadata.Of(file)!;
        Assert.Equal((stat.Inode, 0u, 0u), (closed.Metadata!.Inode, closed.Metadata.Uid, closed.Metadata.Gid));

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var chmod = await ExpectAsync(FileOperation.Chmod, file);
        Assert.Equal((Convert.ToUInt32("600", 8), self), (chmod.Metadata!.Permissions, chmod.Pid));

        var chownPid = await RunAsync("chown", "1234:5678", file);
        var chown = await ExpectAsync(FileOperation.Chown, file);
        Assert.Equal((1234u, 5678u), (chown.Metadata!.Uid, chown.Metadata.Gid));
        Assert.Equal(expectPids ? chownPid : null, chown.Pid);

        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var utimes = await ExpectAsync(FileOperation.Utimes, file);
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero), utimes.Metadata!.ModificationTime);

        await RunAsync("python3", "-c", $"import os; os.setxattr('{file}', 'user.vigil', b'1')");
        await ExpectAsync(FileOperation.Xattr, file);

        var sub = Path.Combine(Watched, "sub");
        Directory.CreateDirectory(sub);
        Assert.True((await ExpectAsync(FileOperation.Mkdir, sub)).Metadata!.IsDirectory);

        var moved = Path.Combine(sub, "c.txt");
        File.Move(file, moved);
        var rename = await ExpectAsync(FileOperation.Rename, file);
        Assert.Equal((moved, stat.Inode, self), (rename.DestinationPath, rename.Metadata!.Inode, rename.Pid));

        var link = Path.Combine(Watched, "hard-link");
        await RunAsync("ln", moved, link);
        Assert.Equal(stat.Inode, (await ExpectAsync(FileOperation.Link, link)).Metadata!.Inode);

        File.Delete(link);
        var unlink = await ExpectAsync(FileOperation.Unlink, link);
        Assert.Equal(self, unlink.Pid);

        File.Delete(moved);
        await ExpectAsync(FileOperation.Unlink, moved);
        Directory.Delete(sub);
        await ExpectAsync(FileOperation.Rmdir, sub);

        _ = await File.ReadAllTextAsync(Path.Combine(Outside, "ignored.txt"));
        var onTmpfs = Path.Combine(_shm, "on-tmpfs.txt");
        await File.WriteAllTextAsync(onTmpfs, "second filesystem");
        await ExpectAsync(FileOperation.Create, onTmpfs);
        _ = await File.ReadAllTextAsync(onTmpfs);
        await ExpectAsync(FileOperation.Open, onTmpfs);

        // A last write outside, then a sentinel inside: once the sentinel is seen, everything before it was read.
        await File.WriteAllTextAsync(Path.Combine(Outside, "late.txt"), "x");
        var sentinel = Path.Combine(Watched, "sentinel");
        await File.WriteAllTextAsync(sentinel, "x");
        await ExpectAsync(FileOperation.CloseWrite, sentinel);
        Assert.DoesNotContain(_seen, a => a.Path.StartsWith(Outside, StringComparison.Ordinal));
        Assert.All(_seen, a => Assert.True(a.Path.StartsWith(Watched, StringComparison.Ordinal) || a.Path.StartsWith(_shm, StringComparison.Ordinal), a.Path));
    }

    /// <summary>Reads records until one matches (generous timeout for a loaded machine); keeps every record read.</summary>
    private async Task<FileActivity> ExpectAsync(FileOperation operation, string path)
    {
        if (_seen.FirstOrDefault(a => a.Operation == operation && a.Path == path) is { } already)
            return already;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var activity = await _channel.Reader.ReadAsync(timeout.Token);
                _seen.Add(activity);
                if (activity.Operation == operation && activity.Path == path)
                    return activity;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {operation} of {path}. Seen:\n" + string.Join("\n", _seen.Select(a => $"{a.Operation} {a.Path} {a.Pid}")));
        }
    }

    /// <summary>Runs a helper process to completion and returns its pid (the pid the kernel reports for its operation).</summary>
    private static async Task<int?> RunAsync(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var pid = process.Id;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {await process.StandardError.ReadToEndAsync()}");
        return pid;
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_shm, recursive: true);
    }
}
