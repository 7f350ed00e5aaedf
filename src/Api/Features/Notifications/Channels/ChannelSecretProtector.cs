using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Vigil.Data.Entities;

namespace Vigil.Api.Features.Notifications.Channels;

/// <summary>
/// Encrypts channel secrets with ASP.NET Data Protection (purpose-bound to the organization, so one org's
/// ciphertext cannot be replayed into another's channel) and reads channels back as send targets.
/// </summary>
public sealed class ChannelSecretProtector(IDataProtectionProvider provider)
{
    private const string Purpose = "Vigil.Notifications.ChannelSecrets.v1";

    public string Protect(Guid organizationId, ChannelSecrets secrets) =>
        Protector(organizationId).Protect(JsonSerializer.Serialize(secrets));

    public ChannelSecrets Unprotect(Guid organizationId, string protectedSecrets) =>
        JsonSerializer.Deserialize<ChannelSecrets>(Protector(organizationId).Unprotect(protectedSecrets)) ?? new ChannelSecrets();

    public ChannelTarget Target(NotificationChannel channel) => new(
        channel.Id, channel.Type, channel.Name, Settings(channel), Unprotect(channel.OrganizationId, channel.ProtectedSecrets),
        channel.MessageTemplate);

    public static ChannelSettings Settings(NotificationChannel channel) =>
        JsonSerializer.Deserialize<ChannelSettings>(channel.SettingsJson) ?? new ChannelSettings();

    private IDataProtector Protector(Guid organizationId) => provider.CreateProtector(Purpose, organizationId.ToString("N"));
}
