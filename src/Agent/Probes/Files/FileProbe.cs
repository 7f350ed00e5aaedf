using System.Threading.Channels;

namespace Vigil.Agent.Probes.Files;

/// <summary>Picks the file probe: fanotify when it starts, otherwise (or when forced) the inotify fallback.</summary>
public static class FileProbe
{
    /// <summary>A started probe; check its Status (it may be "unavailable" when neither mechanism works).</summary>
    public static IFileProbe Start(FileProbeOptions options, ChannelWriter<FileActivity> output)
    {
        string? fanotifyFailure = null;
        if (!options.ForceFallback)
        {
            var fanotify = new FanotifyFileProbe(options, output);
            if (fanotify.Start())
                return fanotify;
            fanotifyFailure = fanotify.Status;
            fanotify.Dispose();
        }
        var inotify = new InotifyFileProbe(options, output, fanotifyFailure);
        inotify.Start();
        return inotify;
    }
}
