using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Agent.Protection;

/// <summary>How one spawned process ended, and how long after the spawn.</summary>
public readonly record struct CanaryOutcome(int Pid, bool Denied, int ExitCode, int Signal, double ElapsedMicroseconds, bool TimedOut = false);

/// <summary>posix_spawn + waitpid (no shell, no .NET process plumbing in the measured path).</summary>
public static unsafe class CanaryRun
{
    /// <summary>How long a spawned process may run (or stay stopped) before it is killed and reported as timed out.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

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
            // Bounded: a child left stopped (a hold nobody released) or stuck would otherwise block this caller forever.
            // (posix_spawn itself returns only once the exec has been answered: a gate that never answers is not covered.)
            // The kill goes through a pidfd taken now, so it can only ever reach this child, and not after it was reaped.
            var pidfd = ProtectionNative.PidfdOpen(pid);
            var state = new KillState();
            using var deadline = new Timer(_ =>
            {
                lock (state)
                {
                    if (state.Reaped || pidfd < 0) return;
                    state.TimedOut = true;
                    _ = ProtectionNative.PidfdSendSignal(pidfd, ProcessKiller.SIGKILL);
                }
            }, null, Timeout, System.Threading.Timeout.InfiniteTimeSpan);
            int status;
            while (ProtectionNative.WaitPid(pid, out status, 0) < 0 && Marshal.GetLastPInvokeError() == ProtectionNative.EINTR) { }
            var elapsed = watch.Elapsed.TotalMicroseconds;
            lock (state) state.Reaped = true;
            if (pidfd >= 0) _ = Interop.Libc.Close(pidfd);
            var signal = status & 0x7f;
            return new CanaryOutcome(pid, false, signal == 0 ? (status >> 8) & 0xff : -1, signal, elapsed, state.TimedOut);
        }
        finally
        {
            foreach (var handle in handles) handle.Free();
        }
    }

    private sealed class KillState
    {
        public bool Reaped, TimedOut;
    }
}
