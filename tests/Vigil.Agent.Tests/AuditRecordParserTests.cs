using Vigil.Agent.Probes;
using Vigil.Agent.Probes.Audit;

namespace Vigil.Agent.Tests;

public sealed class AuditRecordParserTests
{
    [Fact]
    public void Add_SyscallExecveAndEoe_MakeOneExecEventWithDecodedArguments()
    {
        var parser = new AuditRecordParser(ignoredPid: -1);
        Assert.Null(parser.Add(AuditNetlink.Syscall, "audit(1732860000.250:77): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=10 pid=11 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"ls\" exe=\"/usr/bin/ls\" key=\"vigil-agent\""));
        Assert.Null(parser.Add(AuditNetlink.Execve, "audit(1732860000.250:77): argc=3 a0=\"ls\" a1=74776F20776F726473 a2_len=4 a2[0]=2D6C2D61"));

        var evt = parser.Add(AuditNetlink.Eoe, "audit(1732860000.250:77): ");

        Assert.NotNull(evt);
        Assert.Equal(KernelEventKind.Exec, evt.Kind);
        Assert.Equal(["ls", "two words", "-l-a"], evt.Argv!);
        Assert.Equal("/usr/bin/ls", evt.Filename);
        Assert.Equal((11, 10, 1000u), (evt.Pid, evt.Ppid, evt.Credentials.Auid));
        Assert.Equal("pts0", evt.Tty);
        Assert.Equal(1732860000250000000, evt.TimestampNs);
    }

    [Fact]
    public void Add_KillSyscall_GivesHexArguments()
    {
        var parser = new AuditRecordParser(ignoredPid: -1);
        parser.Add(AuditNetlink.Syscall, "audit(1.0:5): arch=c000003e syscall=62 success=yes exit=0 a0=3e8 a1=c a2=0 a3=0 ppid=1 pid=2 uid=0 gid=0 euid=0 egid=0 fsuid=0 fsgid=0 auid=0 comm=\"kill\" exe=\"/usr/bin/kill\"");

        var evt = parser.Add(AuditNetlink.Eoe, "audit(1.0:5): ");

        Assert.Equal(Syscalls.Kill, evt!.Syscall);
        Assert.Equal(1000, evt.Args[0]);
        Assert.Equal(12, evt.Args[1]);
    }

    [Fact]
    public void Add_FailedExecve_IsDropped()
    {
        var parser = new AuditRecordParser(ignoredPid: -1);
        parser.Add(AuditNetlink.Syscall, "audit(1.0:6): arch=c000003e syscall=59 success=no exit=-2 pid=3 ppid=1");

        Assert.Null(parser.Add(AuditNetlink.Eoe, "audit(1.0:6): "));
    }
}
