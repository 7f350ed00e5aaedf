using Vigil.Agent.Probes;
using Vigil.Agent.Probes.Ebpf;
using Vigil.Agent.Rules;

namespace Vigil.Agent.Tests;

public sealed class SeclEventBuilderTests
{
    [Theory]
    [InlineData(7 << 8, 0, 7)]      // exit(7)
    [InlineData(9, 2, 9)]           // killed by SIGKILL
    [InlineData(11 | 0x80, 1, 11)]  // SIGSEGV with a core dump
    public void ExitCause_FromAWaitStatus_FollowsDatadog(int status, long cause, long code) =>
        Assert.Equal((cause, code), SeclEventBuilder.ExitCause(status));

    [Fact]
    public void NewIds_MinusOneKeepsTheCurrentValue()
    {
        Assert.Equal((1000L, 0L, 0L), SeclEventBuilder.NewIds(Syscalls.Setresuid, [1000, -1, -1, 0, 0, 0], 0, 0, 0, true));
        Assert.Equal((65534L, 65534L, 65534L), SeclEventBuilder.NewIds(Syscalls.Setuid, [65534, 0, 0, 0, 0, 0], 0, 0, 0, true));
        Assert.Equal((5L, 5L, 42L), SeclEventBuilder.NewIds(Syscalls.Setfsgid, [42, 0, 0, 0, 0, 0], 5, 5, 5, false));
    }

    [Fact]
    public void CapsetValues_JoinLowAndHighWords()
    {
        byte[] data = [.. BitConverter.GetBytes(1u), .. BitConverter.GetBytes(3u), .. BitConverter.GetBytes(0u),
                       .. BitConverter.GetBytes(2u), .. BitConverter.GetBytes(0u), .. BitConverter.GetBytes(0u)];

        Assert.Equal((1L | 2L << 32, 3L), SeclEventBuilder.CapsetValues(data));
    }

    [Fact]
    public void SplitNul_ReadsArgvAsTheKernelStoresIt()
    {
        var argv = EbpfRecordReader.SplitNul("ls\0-l\0two words\0"u8, out var cut);

        Assert.Equal(["ls", "-l", "two words"], argv);
        Assert.False(cut);
    }

    [Fact]
    public void EventType_MapsSyscallsToSeclEventTypes()
    {
        Assert.Equal("signal", SeclEventBuilder.EventType(new KernelEvent { Kind = KernelEventKind.Syscall, Syscall = Syscalls.Tgkill }));
        Assert.Equal("load_module", SeclEventBuilder.EventType(new KernelEvent { Kind = KernelEventKind.Syscall, Syscall = Syscalls.FinitModule }));
        Assert.Null(SeclEventBuilder.EventType(new KernelEvent { Kind = KernelEventKind.Fork }));
    }
}
