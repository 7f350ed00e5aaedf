using Vigil.Core.Secl.Evaluation;

namespace Vigil.Core.Tests.Secl;

/// <summary>Glob matching, in particular the literal start checked before any segment work.</summary>
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
    public void PathGlobs(string pattern, string value, bool expected) =>
        Assert.Equal(expected, new Glob(pattern, path: true, ignoreCase: false).Matches(value));

    [Theory]
    [InlineData("nc*", "ncat", false, true)]
    [InlineData("nc*", "xnc", false, false)]
    [InlineData("py*on3.*", "python3.11", false, true)]
    [InlineData("py*on3.*", "pypy", false, false)]
    [InlineData("PY*", "python3", true, true)]
    [InlineData("PY*", "python3", false, false)]
    public void StringGlobs(string pattern, string value, bool ignoreCase, bool expected) =>
        Assert.Equal(expected, new Glob(pattern, path: false, ignoreCase).Matches(value));
}
