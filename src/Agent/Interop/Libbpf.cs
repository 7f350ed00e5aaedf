using System.Runtime.InteropServices;

namespace Vigil.Agent.Interop;

/// <summary>The libbpf 1.x entry points the eBPF probe needs (reference: kernel notes §7.5). Pointers are opaque.</summary>
internal static unsafe partial class Libbpf
{
    private const string Lib = "libbpf.so.1";

    [LibraryImport(Lib, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ObjectOpenFile(string path, nint opts);

    [LibraryImport(Lib, EntryPoint = "bpf_object__load")]
    internal static partial int ObjectLoad(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__next_program")]
    internal static partial nint NextProgram(nint obj, nint prev);

    [LibraryImport(Lib, EntryPoint = "bpf_program__name")]
    internal static partial nint ProgramName(nint prog);

    [LibraryImport(Lib, EntryPoint = "bpf_program__set_autoload")]
    internal static partial int ProgramSetAutoload(nint prog, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Lib, EntryPoint = "bpf_program__attach")]
    internal static partial nint ProgramAttach(nint prog);

    [LibraryImport(Lib, EntryPoint = "bpf_link__destroy")]
    internal static partial int LinkDestroy(nint link);

    [LibraryImport(Lib, EntryPoint = "bpf_object__next_map")]
    internal static partial nint NextMap(nint obj, nint prev);

    [LibraryImport(Lib, EntryPoint = "bpf_map__name")]
    internal static partial nint MapName(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_map__set_max_entries")]
    internal static partial int MapSetMaxEntries(nint map, uint maxEntries);

    [LibraryImport(Lib, EntryPoint = "bpf_map__initial_value")]
    internal static partial nint MapInitialValue(nint map, nuint* size);

    [LibraryImport(Lib, EntryPoint = "bpf_map__fd")]
    internal static partial int MapFd(nint map);

    [LibraryImport(Lib, EntryPoint = "bpf_object__find_map_fd_by_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FindMapFdByName(nint obj, string name);

    [LibraryImport(Lib, EntryPoint = "bpf_map_lookup_elem")]
    internal static partial int MapLookupElem(int fd, void* key, void* value);

    [LibraryImport(Lib, EntryPoint = "bpf_map_update_elem")]
    internal static partial int MapUpdateElem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__new")]
    internal static partial nint RingBufferNew(int mapFd, delegate* unmanaged<nint, void*, nuint, int> callback, nint ctx, nint opts);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__poll")]
    internal static partial int RingBufferPoll(nint rb, int timeoutMs);

    /// <summary>Reads every record available now, without waiting (no syscall).</summary>
    [LibraryImport(Lib, EntryPoint = "ring_buffer__consume")]
    internal static partial int RingBufferConsume(nint rb);

    [LibraryImport(Lib, EntryPoint = "ring_buffer__free")]
    internal static partial void RingBufferFree(nint rb);

    [LibraryImport(Lib, EntryPoint = "libbpf_set_print")]
    internal static partial nint SetPrint(nint fn);

    internal static string? Name(nint cstring) => cstring == 0 ? null : Marshal.PtrToStringUTF8(cstring);
}
