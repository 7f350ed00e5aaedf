using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Vigil.Testing;

/// <summary>
/// One RabbitMQ virtual host per test process, created through the management API and deleted when the
/// process exits, so test runs never see each other's queues.
/// </summary>
public static class RabbitMqTestVirtualHost
{
    private static readonly Lazy<Task<Uri>> Created = new(CreateAsync);

    /// <summary>An amqp:// URI for the test virtual host.</summary>
    public static Task<Uri> UriAsync() => Created.Value;

    private static async Task<Uri> CreateAsync()
    {
        var vhost = $"vigil-test-{Guid.NewGuid():N}";
        using var http = ManagementClient();
        try
        {
            (await http.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException(
                $"RabbitMQ's management API is not reachable with VIGIL_TEST_RABBITMQ_MANAGEMENT. {TestSettings.StartServersHint}", e);
        }
        var user = Uri.UnescapeDataString(TestSettings.RabbitMq.UserInfo.Split(':')[0]);
        (await http.PutAsJsonAsync($"api/permissions/{vhost}/{user}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(vhost);
        return new UriBuilder(TestSettings.RabbitMq) { Path = "/" + vhost }.Uri;
    }

    private static void Delete(string vhost)
    {
        try
        {
            using var http = ManagementClient();
            http.DeleteAsync($"api/vhosts/{vhost}").GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            // The broker went away first; nothing to clean.
        }
    }

    private static HttpClient ManagementClient()
    {
        var management = TestSettings.RabbitMqManagement;
        var http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/"), Timeout = TimeSpan.FromSeconds(15) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo)));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return http;
    }
}
