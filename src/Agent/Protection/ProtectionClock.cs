using Vigil.Agent.Interop;

namespace Vigil.Agent.Protection;

/// <summary>Wall-clock Unix ns, and the conversion of the kernel's boot-time stamps (bpf_ktime_get_boot_ns).</summary>
internal static class ProtectionClock
{
    public static long NowNs() => Libc.Now(Libc.CLOCK_REALTIME);

    public static long BootNowNs() => Libc.Now(Libc.CLOCK_BOOTTIME);

    public static long BootToWall(long bootNs) => bootNs + (Libc.Now(Libc.CLOCK_REALTIME) - Libc.Now(Libc.CLOCK_BOOTTIME));
}
