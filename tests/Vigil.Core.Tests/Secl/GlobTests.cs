using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Tests.Secl;

/// <summary>Glob matching, in particular the literal start and end checked before any segment work.</summary>
public sealed class GlobTests
{
    [Theory]
    [InlineData("/home/**", "/home", true)] // "**" may stand for no segment
    [InlineData("/home/**", "/home/dev/.bashrc", true)]
    [InlineData("/home/**", "/homes/dev", false)]
    [InlineData("/home/**", "/tmp/home/x", false)]
    [InlineData("/home/*/.ssh/*", "/home/dev/.ssh/id_rsa", true)]
    [InlineData("/home/*/.ssh/*", "/home/dev/x/.ssh/id_rsa", false)]
    [InlineData("/etc/ld.so.conf.d/*.conf", "/etc/ld.so.conf.d/libc.conf", true)]
    [InlineData("/etc/ld.so.conf.d/*.conf", "/etc/ld.so.conf.d.bak/libc.conf", false)]
    [InlineData("*/bin/*", "/bin/ls", true)]
    [InlineData("*/bin/*", "/usr/lib/ls", false)]
    [InlineData("/usr/bin/curl", "/usr/bin/curl", true)]
    [InlineData("/usr/bin/curl", "/usr/bin/curl2", false)]
    [InlineData("/home/*/.kube/config", "/home/dev/.kube/config", true)]
    [InlineData("/home/*/.kube/config", "/home/dev/project/src/main.go", false)]
    [InlineData("/home/*/*rc", "/home/dev/.bashrc", true)]
    [InlineData("/home/*/*rc", "/home/dev/.bashrc.bak", false)]
    [InlineData("**/config", "config", true)] // "**" and the '/' after it may stand for nothing
    [InlineData("**/config", "/a/b/config", true)]
    [InlineData("**/config", "/a/b/configs", false)]
    [InlineData("/a/**/b", "/a/b", true)]
    [InlineData("/a/**/b", "/a/x/y/b", true)]
    [InlineData("/a/**/b", "/a/x/y/c", false)]
    public void PathGlobs(string pattern, string value, bool expected) =>
        Assert.Equal(expected, new Glob(pattern, path: true, ignoreCase: false).Matches(value));

    [Theory]
    [InlineData("nc*", "ncat", false, true)]
    [InlineData("nc*", "xnc", false, false)]
    [InlineData("py*on3.*", "python3.11", false, true)]
    [InlineData("py*on3.*", "pypy", false, false)]
    [InlineData("PY*", "python3", true, true)]
    [InlineData("PY*", "python3", false, false)]
    [InlineData("a*b*c", "axxbyyc", false, true)]
    [InlineData("a*b*c", "axxbyycd", false, false)]
    [InlineData("a*B*C", "axxbyyc", true, true)]
    public void StringGlobs(string pattern, string value, bool ignoreCase, bool expected) =>
        Assert.Equal(expected, new Glob(pattern, path: false, ignoreCase).Matches(value));
}
