using System.Diagnostics;
using System.Text.RegularExpressions;
using Vigil.Testing;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// <c>./build.sh run</c> as the README tells a new user to start Vigil, in a child process with its data
/// in a temporary folder. Reads the URL, admin login and agent key from what it prints.
/// </summary>
public sealed partial class QuickstartProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _bannerPrinted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private QuickstartProcess(Process process, string dataFolder)
    {
        _process = process;
        DataFolder = dataFolder;
    }

    public string DataFolder { get; }
    public Uri Url { get; private set; } = null!;
    public string AdminEmail { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";
    public string AgentApiKey { get; private set; } = "";

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public static async Task<QuickstartProcess> StartAsync(bool localAgent)
    {
        var dataFolder = Directory.CreateTempSubdirectory("vigil-quickstart-").FullName;
        var start = new ProcessStartInfo("bash", ["build.sh", "run"])
        {
            WorkingDirectory = TestSettings.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(dataFolder, "vigil.db")}";
        start.Environment["Vigil__Bootstrap__AgentKeyFile"] = Path.Combine(dataFolder, "local-agent.key");
        start.Environment["Vigil__LocalAgent__Enabled"] = localAgent ? "true" : "false";
        start.Environment["Vigil__LocalAgent__HeartbeatSeconds"] = "1";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        // Build the same configuration the test run built, so the quickstart does not rebuild the solution.
        start.Environment["CONFIGURATION"] = BuildConfiguration;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var quickstart = new QuickstartProcess(process, dataFolder);
        process.OutputDataReceived += (_, e) => quickstart.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => quickstart.OnLine(e.Data);
        process.Exited += (_, _) => quickstart._bannerPrinted.TrySetException(
            new InvalidOperationException($"./build.sh run exited early:\n{quickstart.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var printed = await Task.WhenAny(quickstart._bannerPrinted.Task, Task.Delay(TimeSpan.FromMinutes(4)));
        if (printed != quickstart._bannerPrinted.Task)
        {
            await quickstart.DisposeAsync();
            throw new TimeoutException($"./build.sh run printed no banner in time:\n{quickstart.Output}");
        }
        await quickstart._bannerPrinted.Task;
        return quickstart;
    }

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.Add(line);
        if (UrlLine().Match(line) is { Success: true } url)
            Url = new Uri(url.Groups[1].Value);
        else if (AdminLine().Match(line) is { Success: true } admin)
            (AdminEmail, AdminPassword) = (admin.Groups[1].Value, admin.Groups[2].Value);
        else if (AgentKeyLine().Match(line) is { Success: true } key)
        {
            AgentApiKey = key.Groups[1].Value;
            _bannerPrinted.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process; the temp folder is cleaned with the machine.
        }
    }

    [GeneratedRegex(@"^\s+URL:\s+(\S+)")]
    private static partial Regex UrlLine();

    [GeneratedRegex(@"^\s+Admin:\s+(\S+) / (\S+)")]
    private static partial Regex AdminLine();

    [GeneratedRegex(@"^\s+Agent API key:\s+(vga_\S+)")]
    private static partial Regex AgentKeyLine();
}
