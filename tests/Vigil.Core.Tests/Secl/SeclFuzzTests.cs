using Vigil.Core.Secl.Binding;
using Vigil.Core.Secl.Syntax;

namespace Vigil.Core.Tests.Secl;

/// <summary>Random, mutated and truncated inputs: the parser and binder must only ever answer with diagnostics.</summary>
public sealed class SeclFuzzTests
{
    private static readonly string[] Seeds =
    [
        "exec.file.path in [~\"/usr/bin/*\", \"/bin/sh\"] && process.ancestors[A].uid == 0 && process.ancestors[A].file.name == \"sshd\"",
        "open.flags & (O_CREAT|O_TRUNC) > 0 && open.file.path =~ r\"^/etc/.*\" || !(process.created_at < 5s)",
        "dns.question.name in [~\"*.pool.org\", r\"x+\"] && network.destination.ip in [10.0.0.0/8, ::1, fe80::/10] and not in",
        "exec.args not in ${cgroup.seen} && \"/proc/${process.pid}/maps\" == open.file.path # comment\n// other",
        "(((exec.file.name == \"a\")))) ]] [[ ${ ~\" r\" 0x12 99999999999999999999999 5zz ::: 1.2.3.4/99",
    ];

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz._[]()!&|^=~<>\"'${}#/\\*+-, \n0123456789ACKOSX";

    private static IEnumerable<string> Inputs(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var source = Seeds[random.Next(Seeds.Length)];
            switch (random.Next(4))
            {
                case 0: // truncation
                    yield return source[..random.Next(source.Length + 1)];
                    break;
                case 1: // point mutations
                    var chars = source.ToCharArray();
                    for (var m = random.Next(1, 6); m > 0; m--) chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
                    yield return new string(chars);
                    break;
                case 2: // splice two seeds
                    var other = Seeds[random.Next(Seeds.Length)];
                    yield return source[..random.Next(source.Length)] + other[random.Next(other.Length)..];
                    break;
                default: // pure noise
                    yield return new string([.. Enumerable.Range(0, random.Next(1, 120)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
                    break;
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Compile_RandomAndTruncatedInput_NeverThrows(int seed)
    {
        var scope = SeclFixtures.Scope();
        var compiled = 0;
        foreach (var input in Inputs(seed, 3000))
        {
            var result = SeclBinder.Compile(input, scope);
            Assert.True(result.Success || !result.Diagnostics.IsEmpty, input);
            Assert.All(result.Diagnostics, d => Assert.InRange(d.Span.Start, 0, input.Length));
            if (result.Success) compiled++;
        }
        Assert.InRange(compiled, 0, 3000);
    }

    [Fact]
    public void Compile_SuccessfulFuzzedRules_EvaluateWithoutThrowing()
    {
        var scope = SeclFixtures.Scope();
        var events = new[] { "exec", "open", "dns", "connect" }.Select(SeclFixtures.Create).ToList();
        var evaluated = 0;
        foreach (var input in Inputs(99, 4000).Concat(Seeds))
        {
            var result = SeclBinder.Compile(input, scope);
            if (!result.Success) continue;
            foreach (var evt in events.Where(e => e.EventType == result.EventType))
            {
                result.Evaluate(evt);
                evaluated++;
            }
        }
        Assert.True(evaluated > 0);
    }

    [Theory]
    [InlineData(100_000, '(')]
    [InlineData(100_000, '!')]
    [InlineData(100_000, '[')]
    [InlineData(100_000, '-')]
    public void Parse_HostileNesting_StopsAtTheDepthLimit(int depth, char opener)
    {
        var result = SeclParser.Parse(new string(opener, depth) + "exec.file.name == \"x\"");
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("nested too deeply", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_VeryLongChain_IsBoundedAndReported()
    {
        var chain = string.Join(" && ", Enumerable.Repeat("exec.uid == 0", 5000));
        var result = SeclParser.Parse(chain);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("nested too deeply", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_LongButLegalChain_Binds()
    {
        var chain = string.Join(" || ", Enumerable.Range(0, 1500).Select(i => $"exec.uid == {i}"));
        var result = SeclBinder.Compile(chain);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.True(result.Evaluate(SeclFixtures.Create("exec")));
    }

    [Fact]
    public void Lexer_EveryPrefixOfEverySeed_Terminates()
    {
        var tokens = 0;
        foreach (var seed in Seeds)
        {
            for (var i = 0; i <= seed.Length; i++)
            {
                var list = SeclLexer.Tokenize(seed[..i], []);
                Assert.Equal(SeclTokenKind.EndOfInput, list[^1].Kind);
                tokens += list.Count;
            }
        }
        Assert.True(tokens > 0);
    }
}

public sealed class PolicyFuzzTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Load_MutatedDefaultPolicy_NeverThrowsAndReportsEveryProblem(int seed)
    {
        var original = SharedTestData.Read("datadog-default-policy-1.29.0.policy");
        var random = new Random(seed);
        for (var round = 0; round < 25; round++)
        {
            var chars = original.ToCharArray();
            for (var m = 0; m < 20; m++) chars[random.Next(chars.Length)] = "\"'[]{}:-#&|!~*\n x"[random.Next(17)];
            var text = random.Next(3) == 0 ? new string(chars)[..random.Next(chars.Length)] : new string(chars);
            var result = Vigil.Core.Secl.Policy.SeclPolicyLoader.Load(new Vigil.Core.Secl.Policy.SeclPolicySource("default.policy", "file", text));
            var policy = Assert.Single(result.Policies);
            Assert.True(policy.Error is not null || result.Rules.Count > 0 || result.Macros.Count > 0, $"round {round}: {policy}");
            Assert.All(result.Rules, r => Assert.True(r.Status is Vigil.Core.Secl.Policy.SeclRuleStatus.Loaded or Vigil.Core.Secl.Policy.SeclRuleStatus.Disabled || r.Message is not null, r.ToString()));
        }
    }
}
