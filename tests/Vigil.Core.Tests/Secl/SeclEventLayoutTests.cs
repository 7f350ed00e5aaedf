using Vigil.Core.Secl.Evaluation;
using Vigil.Core.Secl.Policy;

namespace Vigil.Core.Tests.Secl;

/// <summary>
/// The event's storage is tuned for cache lines (string summaries, values sized to need, the first
/// iterator inside the event): these cases check that it reads back exactly what was stored.
/// </summary>
public sealed class SeclEventLayoutTests
{
    private static SeclRuleSet Rules(params string[] expressions)
    {
        var yaml = "rules:\n" + string.Concat(expressions.Select((e, i) => $"  - id: r{i}\n    expression: '{e}'\n"));
        var result = SeclPolicyLoader.Load(new SeclPolicySource("p.policy", SeclPolicySources.File, yaml));
        Assert.Empty(result.Errors);
        return result.RuleSet;
    }

    private static string[] Matched(SeclRuleSet rules, SeclEvent evt)
    {
        var indexed = new List<SeclRuleMatch>();
        var naive = new List<SeclRuleMatch>();
        rules.Evaluate(evt, indexed);
        rules.EvaluateNaive(evt, naive);
        Assert.Equal(naive.Select(m => m.Rule.Id), indexed.Select(m => m.Rule.Id));
        return [.. indexed.Select(m => m.Rule.Id)];
    }

    /// <summary>A value too long for its summary is read in full by every index (exact, prefix, suffix).</summary>
    [Theory]
    [InlineData(10, new[] { "r0", "r1" })]
    [InlineData(20_000, new[] { "r0", "r1" })]
    [InlineData(70_000, new[] { "r0", "r1" })]
    public void Evaluate_ValueLongerThanItsSummary_IsStillFoundByPrefixAndSuffix(int length, string[] expected)
    {
        var rules = Rules("exec.file.name =~ \"x*\"", "exec.file.name =~ \"*y\"", "exec.file.name == \"xy\"");
        var name = "x" + new string('a', length) + "y";
        Assert.Equal(expected, Matched(rules, new SeclEvent("exec").SetValue("exec.file.name", name)));
    }

    [Theory]
    [InlineData("xy", new[] { "r0", "r1", "r2" })]
    [InlineData("", new string[0])]
    [InlineData("y", new[] { "r1" })]
    [InlineData("XY", new string[0])]
    public void Evaluate_ShortValues_MatchExactlyAsTheExpressions(string name, string[] expected)
    {
        var rules = Rules("exec.file.name =~ \"x*\"", "exec.file.name =~ \"*y\"", "exec.file.name == \"xy\"");
        Assert.Equal(expected, Matched(rules, new SeclEvent("exec").SetValue("exec.file.name", name)));
    }

    /// <summary>An event with more values than its initial capacity, and an ancestor with more than its own, keep every value.</summary>
    [Fact]
    public void Evaluate_ManyValuesOnTheEventAndAnAncestor_AllReadBack()
    {
        var rules = Rules("exec.file.name == \"n\" && process.pid == 40 && exec.argv0 == \"a0\"",
            "exec.file.name == \"n\" && process.ancestors.file.name == \"bash\" && process.ancestors.pid == 7 && process.ancestors.uid == 0 && process.ancestors.comm == \"bash\"");
        var evt = new SeclEvent("exec");
        string[] stringFields = ["exec.file.path", "exec.comm", "process.file.path", "process.file.name", "process.comm", "process.parent.file.name",
            "process.parent.file.path", "process.parent.comm", "process.container.id", "process.tty_name", "exec.tty_name", "process.user", "process.group"];
        foreach (var field in stringFields) evt.SetValue(field, field + "-value");
        evt.SetValue("process.pid", 40L).SetValue("process.ppid", 2L).SetValue("process.uid", 0L).SetValue("process.gid", 0L)
            .SetValue("exec.pid", 40L).SetValue("exec.uid", 0L).SetValue("exec.gid", 0L).SetValue("exec.argv", new[] { "a1", "a2" }).SetValue("exec.argv0", "a0")
            .SetValue("exec.file.name", "n");
        var ancestor = evt.AddElement("process.ancestors");
        ancestor.SetValue("process.ancestors.file.path", "/usr/bin/bash").SetValue("process.ancestors.pid", 7L).SetValue("process.ancestors.ppid", 1L)
            .SetValue("process.ancestors.uid", 0L).SetValue("process.ancestors.gid", 0L).SetValue("process.ancestors.comm", "bash")
            .SetValue("process.ancestors.file.name", "bash");

        Assert.Equal(["r0", "r1"], Matched(rules, evt));
    }

    [Fact]
    public void Evaluate_NegativeNumbers_AreNotTakenForStrings()
    {
        var rules = Rules("exec.file.name == \"\" && process.pid == -5", "exec.file.name != \"\"");
        Assert.Equal(["r0"], Matched(rules, new SeclEvent("exec").SetValue("process.pid", -5L)));
    }

    /// <summary>Iterators other than the first (process.ancestors) are stored apart; each keeps its own elements.</summary>
    [Fact]
    public void Evaluate_ElementsOfTwoIterators_StayWithTheirIterator()
    {
        var rules = Rules("signal.target.ancestors.file.name == \"init\"", "signal.target.ancestors.file.name != \"\" && process.ancestors.file.name == \"init\"");
        var evt = new SeclEvent("signal");
        evt.AddElement("signal.target.ancestors").SetValue("signal.target.ancestors.file.name", "init");
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "bash");
        Assert.Equal(["r0"], Matched(rules, evt));
    }

    [Fact]
    public void Reset_ReusedEvent_ForgetsValuesAndElements()
    {
        var rules = Rules("exec.file.name != \"\" && process.ancestors.file.name == \"bash\"", "exec.file.name == \"ls\"");
        var evt = new SeclEvent("exec").SetValue("exec.file.name", "ls");
        for (var i = 0; i < 6; i++) evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", i == 5 ? "bash" : "sh");
        evt.AddElement("signal.target.ancestors").SetValue("signal.target.ancestors.file.name", "bash");
        Assert.Equal(["r0", "r1"], Matched(rules, evt));

        evt.Reset("exec");
        evt.SetValue("exec.file.name", "cat");
        evt.AddElement("process.ancestors").SetValue("process.ancestors.file.name", "sh");
        Assert.Empty(Matched(rules, evt));
    }

    /// <summary>An ancestor value set twice: the index and the expression both see the last one.</summary>
    [Fact]
    public void Evaluate_AncestorValueSetTwice_TheLastValueIsFound()
    {
        var rules = Rules("exec.file.name != \"z\" && process.ancestors.comm == \"bash\"", "exec.file.name != \"z\" && process.ancestors.comm == \"sh\"");
        var evt = new SeclEvent("exec").SetValue("exec.file.name", "ls");
        evt.AddElement("process.ancestors").SetValue("process.ancestors.comm", "sh").SetValue("process.ancestors.comm", "bash");
        Assert.Equal(["r0"], Matched(rules, evt));
    }

    /// <summary>"Any ancestor has an empty comm" holds when one ancestor has no comm at all, not when all have one.</summary>
    [Fact]
    public void Evaluate_AncestorWithoutTheField_ReadsAsEmpty()
    {
        var rules = Rules("exec.file.name != \"z\" && process.ancestors.comm == \"\"");
        var evt = new SeclEvent("exec").SetValue("exec.file.name", "ls");
        evt.AddElement("process.ancestors").SetValue("process.ancestors.comm", "bash");
        evt.AddElement("process.ancestors").SetValue("process.ancestors.pid", 1L);
        Assert.Equal(["r0"], Matched(rules, evt));

        var allNamed = new SeclEvent("exec").SetValue("exec.file.name", "ls");
        allNamed.AddElement("process.ancestors").SetValue("process.ancestors.comm", "bash");
        Assert.Empty(Matched(rules, allNamed));
    }

    /// <summary>Lists are skipped when none of the keys' characters can all occur in them; never when one could.</summary>
    [Theory]
    [InlineData(new[] { "-o", "stratum+tcp://pool:3333" }, new[] { "r0" })]
    [InlineData(new[] { "-x", "KubiScan.py" }, new[] { "r1" })]
    [InlineData(new[] { "-o", "pool.example:3333" }, new string[0])]
    [InlineData(new[] { "KUBISCAN.PY" }, new string[0])] // letters share a bit whatever their case: read, then rejected
    [InlineData(new[] { "ſtratum+tcp", "KubiScan.py" }, new[] { "r1" })] // a character outside ASCII: the list is read as is
    public void Evaluate_ListFields_SkippedOnlyWhenNoKeyCanOccur(string[] argv, string[] expected)
    {
        var rules = Rules("exec.args =~ \"*stratum+tcp*\"", "\"KubiScan.py\" in exec.argv");
        Assert.Equal(expected, Matched(rules, new SeclEvent("exec").SetValue("exec.argv", argv)));
    }

    /// <summary>A bit mask the rule also requires becomes a guard of its more selective path approver.</summary>
    [Theory]
    [InlineData("/etc/cron.d/job", new[] { "O_WRONLY", "O_CREAT" }, true)]
    [InlineData("/etc/cron.d/job", new[] { "O_RDONLY" }, false)]
    [InlineData("/var/cron.d/job", new[] { "O_CREAT" }, false)]
    public void Evaluate_MaskAndPath_PathIndexedMaskGuards(string path, string[] flags, bool expected)
    {
        var rules = Rules("open.flags & O_CREAT > 0 && open.file.path =~ \"/etc/**\"");
        var approver = rules.Rules[0].Compiled.Approver!;
        Assert.Equal(Vigil.Core.Secl.Binding.SeclApproverKind.PathPrefix, Assert.Single(approver.Terms).Kind);
        Assert.Equal(Vigil.Core.Secl.Binding.SeclApproverKind.BitMask, Assert.Single(approver.Guards).Kind);
        var evt = new SeclEvent("open").SetValue("open.file.path", path).SetValue("open.flags", flags);
        Assert.Equal(expected ? ["r0"] : [], Matched(rules, evt));
    }

    /// <summary>A reset event hands out its old element objects again, emptied: nothing of the previous event remains.</summary>
    [Fact]
    public void Reset_ReusedElements_HoldOnlyTheNewValues()
    {
        var rules = Rules("exec.file.name != \"z\" && process.ancestors.comm == \"bash\"", "exec.file.name != \"z\" && process.ancestors.pid == 7");
        var evt = new SeclEvent("exec").SetValue("exec.file.name", "ls");
        var first = evt.AddElement("process.ancestors").SetValue("process.ancestors.comm", "bash").SetValue("process.ancestors.pid", 7L);
        Assert.Equal(["r0", "r1"], Matched(rules, evt));

        evt.Reset("exec");
        evt.SetValue("exec.file.name", "ls");
        var second = evt.AddElement("process.ancestors").SetValue("process.ancestors.pid", 8L);
        Assert.Same(first, second);
        Assert.Empty(Matched(rules, evt));
    }

    /// <summary>Keys whose characters include another key's are left out of the list pre-check; the lists they match still match.</summary>
    [Theory]
    [InlineData(new[] { "--abcz" }, new[] { "r0", "r1" })]
    [InlineData(new[] { "--ab" }, new[] { "r0" })]
    [InlineData(new[] { "--zz" }, new string[0])]
    public void Evaluate_ListKeysThatContainOthers_StillMatch(string[] argv, string[] expected)
    {
        var rules = Rules("exec.args =~ \"*ab*\"", "exec.args =~ \"*abcz*\"");
        Assert.Equal(expected, Matched(rules, new SeclEvent("exec").SetValue("exec.argv", argv)));
    }

    private static Vigil.Core.Secl.Model.SeclField Field(string name) =>
        Vigil.Core.Secl.Model.SeclFieldCatalog.Linux.TryGetField(name, out var field) ? field : throw new KeyNotFoundException(name);

    /// <summary>Fields resolved once (as a caller filling many events does) store exactly what the by-name setters store.</summary>
    [Fact]
    public void Set_ByResolvedField_SameAsByName()
    {
        var rules = Rules("exec.file.name == \"ls\" && process.pid == 40 && \"-l\" in exec.argv && process.ancestors.comm == \"bash\" && process.ancestors.pid == 7");

        var byField = new SeclEvent("exec").Set(Field("exec.file.name"), "ls").Set(Field("process.pid"), 40L).Set(Field("exec.argv"), ["-l"]);
        byField.AddElement("process.ancestors").Set(Field("process.ancestors.comm"), "bash").Set(Field("process.ancestors.pid"), 7L);
        var byName = new SeclEvent("exec").Set("exec.file.name", "ls").Set("process.pid", 40L).Set("exec.argv", ["-l"]);
        byName.AddElement("process.ancestors").Set("process.ancestors.comm", "bash").Set("process.ancestors.pid", 7L);

        Assert.Equal(["r0"], Matched(rules, byField));
        Assert.Equal(["r0"], Matched(rules, byName));
    }

    [Fact]
    public void Set_ByResolvedField_RejectsWhatTheCatalogWouldNot()
    {
        var evt = new SeclEvent("exec");

        Assert.Contains("is Int", Assert.Throws<ArgumentException>(() => evt.Set(Field("process.pid"), "40")).Message, StringComparison.Ordinal);
        Assert.Contains("computed from", Assert.Throws<ArgumentException>(() => evt.Set(Field("exec.args"), "-l")).Message, StringComparison.Ordinal);
        Assert.Contains("is iterated", Assert.Throws<ArgumentException>(() => evt.Set(Field("process.ancestors.comm"), "bash")).Message, StringComparison.Ordinal);
        Assert.Contains("not part of", Assert.Throws<ArgumentException>(() => evt.AddElement("process.ancestors").Set(Field("exec.file.name"), "ls")).Message, StringComparison.Ordinal);

        var other = new Vigil.Core.Secl.Model.SeclFieldCatalog(Vigil.Core.Secl.Model.SeclModelDefinition.Fields(), Vigil.Core.Secl.Model.SeclModelDefinition.EventTypes);
        Assert.True(other.TryGetField("exec.file.name", out var foreign));
        Assert.Contains("not a field of this event's catalog", Assert.Throws<ArgumentException>(() => evt.Set(foreign, "ls")).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The path index finds a path's directories from a bit mask of its first 64 characters' slashes, one at a time
    /// after them: directories of every length up to past 64 characters, and paths shorter than one vector compare.
    /// </summary>
    [Theory]
    [InlineData("/a", new[] { "r0" })]
    [InlineData("/a/x", new[] { "r0" })]
    [InlineData("/ab", new[] { "r1" })]
    [InlineData("/abc/d", new string[0])]
    [InlineData("/etc/cron.d/job", new[] { "r2" })]
    [InlineData("/etc/cron.daily/j", new[] { "r2" })]
    [InlineData("/e/cron.d/job", new string[0])]
    public void Evaluate_PathDirectoriesOfShortPaths_FoundAsByTheExpressions(string path, string[] expected)
    {
        var rules = Rules("open.file.path =~ \"/a/**\"", "open.file.path == \"/ab\"", "open.file.path =~ \"/etc/cron.*/*\"");
        Assert.Equal(expected, Matched(rules, new SeclEvent("open").SetValue("open.file.path", path)));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(90)]
    public void Evaluate_PathDirectoriesAroundSixtyFourCharacters_FoundAsByTheExpressions(int directoryLength)
    {
        var directory = "/" + new string('d', directoryLength - 1);
        var rules = Rules($"open.file.path =~ \"{directory}/**\"", $"open.file.path =~ \"{directory}/x*\"", $"open.file.path == \"{directory}\"");
        Assert.Equal(["r0", "r1"], Matched(rules, new SeclEvent("open").SetValue("open.file.path", directory + "/xy")));
        Assert.Equal(["r0", "r2"], Matched(rules, new SeclEvent("open").SetValue("open.file.path", directory)));
        Assert.Equal(["r0"], Matched(rules, new SeclEvent("open").SetValue("open.file.path", directory + "/y/xy")));
        Assert.Empty(Matched(rules, new SeclEvent("open").SetValue("open.file.path", directory + "d/xy")));
        Assert.Empty(Matched(rules, new SeclEvent("open").SetValue("open.file.path", directory[..^1] + "/xy")));
    }

    /// <summary>"/dir/**" needs no glob in the path index: the directory and everything under it hold, nothing beside it.</summary>
    [Fact]
    public void Approver_DirectoryDoubleStar_HasNoGlobToRun()
    {
        var rules = Rules("open.file.path =~ \"/var/log/**\"", "open.file.path =~ \"/var/log/*.log\"");
        var whole = Assert.Single(Assert.Single(rules.Rules[0].Compiled.Approver!.Terms).Prefixes);
        Assert.Equal(("/var/log", "", null), (whole.Directory, whole.NamePrefix, whole.Pattern));
        Assert.NotNull(Assert.Single(Assert.Single(rules.Rules[1].Compiled.Approver!.Terms).Prefixes).Pattern);
        Assert.Equal(["r0"], Matched(rules, new SeclEvent("open").SetValue("open.file.path", "/var/log")));
        Assert.Equal(["r0", "r1"], Matched(rules, new SeclEvent("open").SetValue("open.file.path", "/var/log/app.log")));
        Assert.Equal(["r0"], Matched(rules, new SeclEvent("open").SetValue("open.file.path", "/var/log/app/app.log")));
        Assert.Empty(Matched(rules, new SeclEvent("open").SetValue("open.file.path", "/var/logs/app.log")));
    }

    /// <summary>
    /// Case-insensitive fields compare by ordinal case folding, which never pairs a character outside ASCII with an ASCII
    /// one ("ıd" is not "id"): the index's character checks agree with the comparison on both sides of that line.
    /// </summary>
    [Theory]
    [InlineData("id.example.com")]
    [InlineData("ID.EXAMPLE.COM")]
    [InlineData("ıd.example.com")]
    [InlineData("ıd.example.coM")]
    [InlineData("xd.example.com")]
    public void Evaluate_CaseInsensitiveValuesOutsideAscii_IndexAgreesWithTheExpression(string name)
    {
        var rules = Rules("dns.question.name == \"id.example.com\"", "dns.question.name == \"ıd.example.com\"", "dns.question.name =~ \"id.*\"", "dns.question.name =~ \"ıd.*\"");
        var matched = Matched(rules, new SeclEvent("dns").SetValue("dns.question.name", name)); // asserts the index finds what the expressions find
        Assert.Equal(name.StartsWith('x'), matched.Length == 0);
    }
}
