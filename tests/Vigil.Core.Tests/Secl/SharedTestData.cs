namespace Vigil.Core.Tests.Secl;

/// <summary>Locates Datadog's test data in tests/testdata/datadog (found from the folder holding Platform.sln).</summary>
internal static class SharedTestData
{
    public static string PathOf(string fileName)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) directory = directory.Parent;
        if (directory?.Parent is null) throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
        return Path.Combine(directory.FullName, "tests", "testdata", "datadog", fileName);
    }

    public static string Read(string fileName) => File.ReadAllText(PathOf(fileName));
}
