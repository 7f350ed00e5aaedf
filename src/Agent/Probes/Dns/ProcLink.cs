using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Agent.Probes.Dns;

/// <summary>readlink without the FileInfo allocations (a /proc scan reads thousands of fd links).</summary>
internal static unsafe partial class ProcLink
{
    public static string? Read(string path)
    {
        var buffer = stackalloc byte[256];
        var length = ReadLink(path, buffer, 256);
        return length <= 0 ? null : Encoding.ASCII.GetString(buffer, (int)length);
    }

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ReadLink(string path, byte* buffer, nuint size);
}
