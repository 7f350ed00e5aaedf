namespace Vigil.Testing;

/// <summary>
/// Where the real servers are. build.sh test exports these; the defaults match scripts/services.sh.
/// </summary>
public static class TestSettings
{
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database=postgres";

    public static Uri RabbitMq =>
        new(Environment.GetEnvironmentVariable("VIGIL_TEST_RABBITMQ") ?? "amqp://vigil:vigil@127.0.0.1:5672/");

    public static Uri RabbitMqManagement =>
        new(Environment.GetEnvironmentVariable("VIGIL_TEST_RABBITMQ_MANAGEMENT") ?? "http://vigil:vigil@127.0.0.1:15672/");

    public static string Chromium => Environment.GetEnvironmentVariable("VIGIL_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    public const string StartServersHint = "Start them with ./build.sh services (or run ./build.sh test, which does).";

    /// <summary>The repository root (the folder holding Platform.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test binaries.");
        }
    }
}
