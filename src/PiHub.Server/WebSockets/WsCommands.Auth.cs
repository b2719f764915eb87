using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets;

/// <summary>The caller's own account: who am I, long-lived tokens, refresh tokens.</summary>
internal static partial class WsCommands
{
    private static void AddAuthCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["auth/current_user"] = (WsAccess.Read, CurrentUser);
        table["auth/long_lived_access_token"] = (WsAccess.Read, LongLivedTokenAsync);
        table["auth/refresh_tokens"] = (WsAccess.Read, RefreshTokens);
        table["auth/delete_refresh_token"] = (WsAccess.Read, DeleteRefreshTokenAsync);
        table["auth/delete_all_refresh_tokens"] = (WsAccess.Read, DeleteAllRefreshTokensAsync);
    }

    private static AuthManager Auth(WsConnection c) => c.Services.GetRequiredService<AuthManager>();

    /// <summary>Runs an auth operation, turning <see cref="AuthException"/> into the WebSocket error shape.</summary>
    private static async ValueTask GuardAsync(WsConnection c, int id, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (AuthException ex) when (Api.PowerFailing.Is(ex))
        {
            c.Post(WsMessages.Error(id, Core.Power.WriteGate.Code, Core.Power.WriteGate.Message));
        }
        catch (AuthException ex)
        {
            c.Post(WsMessages.Error(id, ex.Code switch
            {
                AuthErrorCodes.NotFound => "not_found",
                AuthErrorCodes.Unauthorized or AuthErrorCodes.OwnerProtected or AuthErrorCodes.AccessDenied => "unauthorized",
                AuthErrorCodes.InvalidFormat => "invalid_format",
                _ => ex.Code,
            }, ex.Message));
        }
    }

    private static ValueTask CurrentUser(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var auth = Auth(c);
        var user = auth.GetUser(c.Principal!.User.Id) ?? c.Principal.User;
        var credentials = auth.GetCredentials(user.Id);
        var mfa = auth.Data.Mfa.GetValueOrDefault(MfaEnrollment.IdFor(user.Id));
        return Reply(c, WsMessages.Result(id, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", user.Id);
            w.WriteString("name", user.Name);
            w.WriteBoolean("is_owner", user.IsOwner);
            w.WriteBoolean("is_admin", user.IsAdmin);
            w.WriteStartArray("group_ids");
            foreach (var g in user.GroupIds) w.WriteStringValue(g);
            w.WriteEndArray();
            w.WriteStartArray("credentials");
            foreach (var cred in credentials)
            {
                w.WriteStartObject();
                w.WriteString("auth_provider_type", cred.ProviderType);
                w.WriteNull("auth_provider_id");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("mfa_modules");
            w.WriteStartObject();
            w.WriteString("id", "totp");
            w.WriteString("name", "Authenticator app");
            w.WriteBoolean("enabled", mfa?.Enabled == true);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("auth_method", c.Principal.Method);
            w.WriteEndObject();
        }));
    }

    private static ValueTask LongLivedTokenAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var clientName = RequireString(message, "client_name");
        var lifespan = message.TryGetProperty("lifespan", out var l) && l.TryGetInt32(out var days) ? days : 3650;
        var icon = OptionalString(message, "client_icon");
        return GuardAsync(c, id, async () =>
        {
            var token = await Auth(c).CreateLongLivedTokenAsync(c.Principal!.User.Id, clientName, lifespan, icon, c.Client, cancellationToken).ConfigureAwait(false);
            c.Post(WsMessages.Result(id, w => w.WriteStringValue(token)));
        });
    }

    private static ValueTask RefreshTokens(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var auth = Auth(c);
        var tokens = auth.ListRefreshTokens(c.Principal!.User.Id);
        var credentials = auth.Data.Credentials;
        return Reply(c, WsMessages.Result(id, w =>
        {
            w.WriteStartArray();
            foreach (var t in tokens)
            {
                w.WriteStartObject();
                w.WriteString("id", t.Id);
                w.WriteString("client_id", t.ClientId);
                w.WriteString("client_name", t.ClientName);
                w.WriteString("client_icon", t.ClientIcon);
                w.WriteString("type", t.TokenType);
                w.WriteString("created_at", HubJson.FormatTime(t.CreatedAt));
                w.WriteBoolean("is_current", t.Id == c.Principal.RefreshTokenId);
                if (t.LastUsedAt is { } used) w.WriteString("last_used_at", HubJson.FormatTime(used)); else w.WriteNull("last_used_at");
                w.WriteString("last_used_ip", t.LastUsedIp);
                var provider = t.CredentialId is not null && credentials.TryGetValue(t.CredentialId, out var cred) ? cred.ProviderType : null;
                w.WriteString("auth_provider_type", provider);
                if (t.ExpireAt is { } expires) w.WriteString("expire_at", HubJson.FormatTime(expires)); else w.WriteNull("expire_at");
                w.WriteString("trusted_network", t.TrustedNetwork);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    private static ValueTask DeleteRefreshTokenAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var tokenId = RequireString(message, "refresh_token_id");
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).DeleteRefreshTokenAsync(c.Principal!.User.Id, tokenId, cancellationToken).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }

    private static ValueTask DeleteAllRefreshTokensAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var tokenType = OptionalString(message, "token_type");
        var deleteCurrent = !message.TryGetProperty("delete_current_token", out var d) || d.ValueKind != JsonValueKind.False;
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).DeleteAllRefreshTokensAsync(c.Principal!.User.Id, tokenType, c.Principal.RefreshTokenId, deleteCurrent, cancellationToken).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }
}
