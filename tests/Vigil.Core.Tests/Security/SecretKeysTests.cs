using Vigil.Core.Security;

namespace Vigil.Core.Tests.Security;

public sealed class SecretKeysTests
{
    [Theory]
    [InlineData(SecretKind.AgentApiKey, "vga_")]
    [InlineData(SecretKind.ApplicationKey, "vgk_")]
    [InlineData(SecretKind.SessionToken, "vgs_")]
    public void Generate_EachKind_HasItsPrefixAndShape(SecretKind kind, string prefix)
    {
        var key = SecretKeys.Generate(kind);

        Assert.StartsWith(prefix, key, StringComparison.Ordinal);
        Assert.Equal(prefix.Length + 43, key.Length);
        Assert.True(SecretKeys.HasShape(key, kind));
    }

    [Fact]
    public void Generate_TwoCalls_GiveDifferentKeysWithDifferentHashes()
    {
        var a = SecretKeys.Generate(SecretKind.AgentApiKey);
        var b = SecretKeys.Generate(SecretKind.AgentApiKey);

        Assert.NotEqual(a, b);
        Assert.NotEqual(SecretKeys.Hash(a), SecretKeys.Hash(b));
    }

    [Fact]
    public void Hash_SameKey_IsStableHexAndDoesNotContainTheKey()
    {
        var key = SecretKeys.Generate(SecretKind.ApplicationKey);

        var hash = SecretKeys.Hash(key);

        Assert.Equal(hash, SecretKeys.Hash(key));
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(key[4..12], hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vgk_abc")]
    [InlineData("vga")]
    public void HasShape_WrongKindOrEmpty_IsFalse(string? text)
    {
        Assert.False(SecretKeys.HasShape(text, SecretKind.AgentApiKey));
    }

    [Fact]
    public void Hint_ShowsOnlyTheEnds()
    {
        var key = SecretKeys.Generate(SecretKind.AgentApiKey);

        var hint = SecretKeys.Hint(key);

        Assert.Equal(9, hint.Length);
        Assert.StartsWith("vga_", hint, StringComparison.Ordinal);
    }
}
