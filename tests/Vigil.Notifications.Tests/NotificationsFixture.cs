using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Api;
using Vigil.Core.Contracts;
using Vigil.Core.Contracts.Api;
using Vigil.Core.Domain;
using Vigil.Data.Entities;
using Vigil.Ingest;
using Vigil.Testing;

namespace Vigil.Notifications.Tests;

/// <summary>
/// One Api with Hangfire jobs on (Hangfire keeps process-wide state, so one per test process) and one
/// Ingest, both on this run's PostgreSQL and RabbitMQ; a fake HTTP receiver and a real SMTP server on
/// loopback. Retries use a short backoff (1 s doubling to 4 s) and sends time out after 3 s, so fault
/// tests take seconds; production defaults are 10 s doubling to 10 min and 15 s.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    private Dictionary<string, string?> _configuration = null!;

    public VigilTestHost Api { get; private set; } = null!;
    public VigilTestHost Ingest { get; private set; } = null!;
    public FakeReceiver Receiver { get; private set; } = null!;
    public FakeSmtpServer Smtp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await FakeReceiver.StartAsync();
        Smtp = FakeSmtpServer.Start();
        _configuration = (await TestConfiguration.ProductionAsync())
            .With("Vigil:Notifications:PublicBaseUrl", "http://vigil.test/")
            .With("Vigil:Notifications:PagerDutyEventsUrl", Receiver.Url("pagerduty/v2/enqueue"))
            .With("Vigil:Notifications:RetryBaseDelay", "00:00:01")
            .With("Vigil:Notifications:RetryMaxDelay", "00:00:04")
            .With("Vigil:Notifications:MaxAttempts", "60")
            .With("Vigil:Notifications:SendTimeout", "00:00:03")
            .With("Vigil:Notifications:StaleAfter", "00:00:10")
            .With("Vigil:Notifications:Workers", "8");
        Api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, _configuration);
        Ingest = await VigilTestHost.StartAsync("Vigil.Ingest", IngestHost.Build,
            new Dictionary<string, string?>(_configuration));
    }

    public async Task DisposeAsync()
    {
        await Ingest.DisposeAsync();
        await Api.DisposeAsync();
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>Stops the Api process role and starts it again on the same database and broker.</summary>
    public async Task RestartApiAsync()
    {
        await Api.DisposeAsync();
        Api = await VigilTestHost.StartAsync("Vigil.Api", ApiHost.Build, _configuration);
    }

    public HttpClient Client(string? token = null)
    {
        var http = Api.CreateClient();
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task<(TestOrganization Org, HttpClient Admin)> NewOrgAsync()
    {
        var org = await TestOrganization.CreateAsync(Api.Services);
        return (org, Client(await LoginAsync(org.AdminEmail, org.Password)));
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        using var http = Client();
        using var response = await http.PostAsJsonAsync("api/v2/auth/login", new LoginRequest(email, password), ApiJson.Options);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LoginResponse>(ApiJson.Options))!.Token;
    }

    public static async Task<NotificationChannelCreatedDto> CreateChannelAsync(HttpClient admin, NotificationChannelRequest request)
    {
        using var response = await admin.PostAsJsonAsync("api/v2/notifications/channels", request, ApiJson.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NotificationChannelCreatedDto>(ApiJson.Options))!;
    }

    public static async Task<NotificationRuleDto> CreateRuleAsync(HttpClient admin, NotificationRuleRequest request)
    {
        using var response = await admin.PostAsJsonAsync("api/v2/notifications/rules", request, ApiJson.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NotificationRuleDto>(ApiJson.Options))!;
    }

    public Task<NotificationChannelCreatedDto> SlackAsync(HttpClient admin, string path, string? name = null) =>
        CreateChannelAsync(admin, new NotificationChannelRequest("slack", name ?? "secops", Slack: new SlackChannelConfig(Receiver.Url(path))));

    public Task<NotificationChannelCreatedDto> WebhookAsync(HttpClient admin, string path, string name = "soar", string? payload = null) =>
        CreateChannelAsync(admin, new NotificationChannelRequest("webhook", name,
            Webhook: new WebhookChannelConfig(Receiver.Url(path), PayloadTemplate: payload, SigningSecret: "test-signing-secret-0123456789")));

    /// <summary>Stores a signal as the detection engine would and announces it on the bus.</summary>
    public async Task<Signal> RaiseSignalAsync(Guid orgId, Severity severity, string? message = null, string tagsJson = "[]",
        string hostname = "web-1", string ruleId = "test_rule", string? sampleEventJson = null)
    {
        var now = DateTime.UtcNow;
        var signal = new Signal
        {
            RuleId = ruleId, Title = $"Shell spawned on {hostname}", Severity = severity, Hostname = hostname,
            GroupKey = $"host:{hostname}:{Guid.NewGuid():N}", FirstSeen = now, LastSeen = now, EventCount = 1,
            Message = message ?? "A shell was spawned by a web server.", TagsJson = tagsJson,
            SampleEventJson = sampleEventJson ?? """{"agent":{"rule_id":"shell_spawned"},"title":"Shell","process":{"executable":{"path":"/usr/bin/bash"}},"file":{"path":"/etc/shadow"}}""",
        };
        await using (var scope = Api.CreateScope(orgId, out var db))
        {
            db.Signals.Add(signal);
            await db.SaveChangesAsync();
        }
        await Ingest.Services.GetRequiredService<IBus>().Publish(new SignalCreated(orgId, signal.Id, signal.RuleId, signal.Title,
            severity.ToWire(), hostname, new DateTimeOffset(now, TimeSpan.Zero)));
        return signal;
    }

    public async Task<List<NotificationDelivery>> DeliveriesAsync(Guid orgId, Guid? signalId = null)
    {
        await using var scope = Api.CreateScope(orgId, out var db);
        return await db.NotificationDeliveries.AsNoTracking().Where(d => signalId == null || d.SignalId == signalId)
            .OrderBy(d => d.CreatedAt).ToListAsync();
    }

    /// <summary>Waits until the signal has the given number of deliveries, all in a final state.</summary>
    public async Task<List<NotificationDelivery>> SettledAsync(Guid orgId, Guid? signalId, int count, TimeSpan? timeout = null)
    {
        try
        {
            return await Eventually.ReturnsAsync(async () =>
            {
                var rows = await DeliveriesAsync(orgId, signalId);
                return rows.Count == count && rows.All(r => r.Status is "delivered" or "failed") ? rows : null;
            }, $"{count} settled deliveries", timeout ?? TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException e)
        {
            var rows = await DeliveriesAsync(orgId, signalId);
            throw new TimeoutException(e.Message + " Found: " + string.Join("; ", rows.Select(r =>
                $"{r.ChannelId} {r.Kind} {r.Severity} {r.Status} attempts={r.Attempts} code={r.ResponseCode} error={r.LastError}")), e);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "notifications";
}
