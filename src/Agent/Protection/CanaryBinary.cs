using System.Text;

namespace Vigil.Agent.Protection;

/// <summary>
/// A 150-byte static x86-64 ELF whose first instructions create a marker file and exit 0: if the marker exists,
/// user code ran. Written by hand (no compiler needed) for the protection tests and the benchmark.
/// </summary>
public static class CanaryBinary
{
    private const ulong Base = 0x400000;
    private const int HeaderSize = 64 + 56;

    public static void Write(string path, string markerPath)
    {
        var marker = Encoding.UTF8.GetBytes(markerPath + "\0");
        byte[] code =
        [
            0xb8, 0x02, 0x00, 0x00, 0x00,             // mov eax, 2 (open)
            0x48, 0x8d, 0x3d, 0x15, 0x00, 0x00, 0x00, // lea rdi, [rip + 21] (the path after this code)
            0xbe, 0x41, 0x00, 0x00, 0x00,             // mov esi, O_WRONLY | O_CREAT
            0xba, 0xa4, 0x01, 0x00, 0x00,             // mov edx, 0644
            0x0f, 0x05,                               // syscall
            0xb8, 0x3c, 0x00, 0x00, 0x00,             // mov eax, 60 (exit)
            0x31, 0xff,                               // xor edi, edi
            0x0f, 0x05,                               // syscall
        ];
        var size = HeaderSize + code.Length + marker.Length;
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        w.Write((ushort)2);         // ET_EXEC
        w.Write((ushort)0x3e);      // x86-64
        w.Write(1u);
        w.Write(Base + HeaderSize); // entry
        w.Write(64UL);              // program headers
        w.Write(0UL);               // no sections
        w.Write(0u);
        w.Write((ushort)64);
        w.Write((ushort)56);
        w.Write((ushort)1);
        w.Write((ushort)64);
        w.Write((ushort)0);
        w.Write((ushort)0);
        w.Write(1u);                // PT_LOAD
        w.Write(5u);                // R + X
        w.Write(0UL);
        w.Write(Base);
        w.Write(Base);
        w.Write((ulong)size);
        w.Write((ulong)size);
        w.Write(0x1000UL);
        w.Write(code);
        w.Write(marker);
        File.WriteAllBytes(path, stream.ToArray());
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
