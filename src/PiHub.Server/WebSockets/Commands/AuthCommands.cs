using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>The caller's own account: who am I, long-lived tokens, refresh tokens.</summary>
internal static class AuthCommands
{
    public static void Register(WsCommandTable table) => table
        .Add("auth/current_user", WsAccess.Read, CurrentUser)
        .Add("auth/long_lived_access_token", WsAccess.Read, LongLivedTokenAsync, credentials: true)
        .Add("auth/refresh_tokens", WsAccess.Read, RefreshTokens, credentials: true)
        .Add("auth/delete_refresh_token", WsAccess.Read, DeleteRefreshTokenAsync, credentials: true)
        .Add("auth/delete_all_refresh_tokens", WsAccess.Read, DeleteAllRefreshTokensAsync, credentials: true);

    /// <summary>The hub's <see cref="AuthManager"/>, for every command that touches users or tokens.</summary>
    public static AuthManager Auth(this WsConnection c) => c.Services.GetRequiredService<AuthManager>();

    private static ValueTask CurrentUser(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var auth = c.Auth();
        var user = auth.GetUser(c.Principal!.User.Id) ?? c.Principal.User;
        var mfa = auth.Data.Mfa.GetValueOrDefault(MfaEnrollment.IdFor(user.Id));
        var result = new CurrentUserResult(
            user.Id,
            user.Name,
            user.IsOwner,
            user.IsAdmin,
            user.GroupIds,
            [.. auth.GetCredentials(user.Id).Select(cred => new ProviderCredential(cred.ProviderType, null))],
            [new MfaModuleInfo(MfaCommands.TotpModuleId, MfaCommands.TotpModuleName, mfa?.Enabled == true)],
            c.Principal.Method);
        c.PostResult(id, result, AuthResultsJsonContext.Default.CurrentUserResult);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask LongLivedTokenAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var clientName = message.RequireString("client_name");
        var lifespan = message.TryGetProperty("lifespan", out var l) && l.TryGetInt32(out var days) ? days : 3650;
        var icon = message.OptionalString("client_icon");
        var token = await c.Auth().Tokens.CreateLongLivedTokenAsync(c.Principal!.User.Id, clientName, lifespan, icon, c.Client, cancellationToken).ConfigureAwait(false);
        c.PostResult(id, token, AuthResultsJsonContext.Default.String);
    }

    private static ValueTask RefreshTokens(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var auth = c.Auth();
        var credentials = auth.Data.Credentials;
        var tokens = auth.Tokens.ListRefreshTokens(c.Principal!.User.Id).Select(t => new RefreshTokenInfo(
            t.Id,
            t.ClientId,
            t.ClientName,
            t.ClientIcon,
            t.TokenType,
            HubJson.FormatTime(t.CreatedAt),
            t.Id == c.Principal.RefreshTokenId,
            t.LastUsedAt is { } used ? HubJson.FormatTime(used) : null,
            t.LastUsedIp,
            t.CredentialId is not null && credentials.TryGetValue(t.CredentialId, out var cred) ? cred.ProviderType : null,
            t.ExpireAt is { } expires ? HubJson.FormatTime(expires) : null,
            t.TrustedNetwork)).ToList();
        c.PostResult(id, tokens, AuthResultsJsonContext.Default.ListRefreshTokenInfo);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask DeleteRefreshTokenAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var tokenId = message.RequireString("refresh_token_id");
        await c.Auth().Tokens.DeleteRefreshTokenAsync(c.Principal!.User.Id, tokenId, cancellationToken).ConfigureAwait(false);
        c.PostResult(id);
    }

    private static async ValueTask DeleteAllRefreshTokensAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var tokenType = message.OptionalString("token_type");
        var deleteCurrent = !message.TryGetProperty("delete_current_token", out var d) || d.ValueKind != JsonValueKind.False;
        await c.Auth().Tokens.DeleteAllRefreshTokensAsync(c.Principal!.User.Id, tokenType, c.Principal.RefreshTokenId, deleteCurrent, cancellationToken).ConfigureAwait(false);
        c.PostResult(id);
    }
}
