using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Agent.Protection;

/// <summary>How one spawned process ended, and how long after the spawn.</summary>
public readonly record struct CanaryOutcome(int Pid, bool Denied, int ExitCode, int Signal, double ElapsedMicroseconds);

/// <summary>posix_spawn + waitpid (no shell, no .NET process plumbing in the measured path).</summary>
public static unsafe class CanaryRun
{
    /// <summary>Spawns <paramref name="path"/> with <paramref name="args"/> and waits; Denied when execve failed with EPERM.</summary>
    public static CanaryOutcome Spawn(string path, params string[] args)
    {
        var strings = new[] { path }.Concat(args).Select(s => Encoding.UTF8.GetBytes(s + "\0")).ToArray();
        var handles = strings.Select(b => GCHandle.Alloc(b, GCHandleType.Pinned)).ToArray();
        var argv = stackalloc byte*[strings.Length + 1];
        byte* envp = null;
        try
        {
            for (var i = 0; i < strings.Length; i++) argv[i] = (byte*)handles[i].AddrOfPinnedObject();
            argv[strings.Length] = null;
            var watch = Stopwatch.StartNew();
            var error = ProtectionNative.PosixSpawn(out var pid, argv[0], 0, 0, argv, &envp);
            if (error != 0)
                return new CanaryOutcome(0, error == ProtectionNative.EPERM, -error, 0, watch.Elapsed.TotalMicroseconds);
            int status;
            while (ProtectionNative.WaitPid(pid, out status, 0) < 0 && Marshal.GetLastPInvokeError() == ProtectionNative.EINTR) { }
            var elapsed = watch.Elapsed.TotalMicroseconds;
            var signal = status & 0x7f;
            return new CanaryOutcome(pid, false, signal == 0 ? (status >> 8) & 0xff : -1, signal, elapsed);
        }
        finally
        {
            foreach (var handle in handles) handle.Free();
        }
    }
}
