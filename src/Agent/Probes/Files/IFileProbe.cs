namespace Vigil.Agent.Probes.Files;

/// <summary>A source of <see cref="FileActivity"/> records (fanotify, or the inotify fallback).</summary>
public interface IFileProbe : IDisposable
{
    /// <summary>Starts watching; records go to the writer given at construction. False when the mechanism is unavailable (see Status).</summary>
    bool Start();

    void Stop();

    /// <summary>e.g. <c>files: fanotify (FID, 2 filesystems)</c> or <c>files: unavailable: &lt;reason&gt;</c>.</summary>
    string Status { get; }

    /// <summary>Events the kernel dropped (queue overflow).</summary>
    long KernelLosses { get; }

    /// <summary>Records dropped because the channel was full.</summary>
    long ChannelDrops { get; }
}
