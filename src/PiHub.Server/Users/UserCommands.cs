using System.Text.Json;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.Users;

/// <summary>
/// User administration with Home Assistant's command names, plus <c>pihub/owner/transfer</c>.
/// The owner invariant is enforced by <see cref="AuthManager"/> for every one of them.
/// </summary>
internal static class UserCommands
{
    public static void Register(WsCommandTable table) => table
        .Add("config/auth/list", WsAccess.Admin, ListUsers, credentials: true)
        .Add("config/auth/create", WsAccess.Admin, CreateUserAsync, credentials: true)
        .Add("config/auth/update", WsAccess.Admin, UpdateUserAsync, credentials: true)
        .Add("config/auth/delete", WsAccess.Admin, DeleteUserAsync, credentials: true)
        .Add("config/auth_provider/homeassistant/create", WsAccess.Admin, CreateCredentialAsync, credentials: true)
        .Add("config/auth_provider/homeassistant/change_password", WsAccess.Read, ChangePasswordAsync, credentials: true)
        .Add("config/auth_provider/homeassistant/admin_change_password", WsAccess.Admin, AdminChangePasswordAsync, credentials: true)
        .Add("pihub/owner/transfer", WsAccess.Admin, TransferOwnerAsync, credentials: true);

    private static UserInfo Describe(AuthManager auth, User user)
    {
        var credentials = auth.GetCredentials(user.Id);
        return new UserInfo(
            user.Id,
            credentials.FirstOrDefault()?.Username,
            user.Name,
            user.IsOwner,
            user.IsActive,
            user.LocalOnly,
            user.SystemGenerated,
            user.GroupIds,
            [.. credentials.Select(c => new CredentialInfo(c.ProviderType))]);
    }

    private static IReadOnlyList<string>? Groups(JsonElement message)
    {
        if (!message.TryGetProperty("group_ids", out var groups) || groups.ValueKind == JsonValueKind.Null) return null;
        if (groups.ValueKind != JsonValueKind.Array || groups.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.String))
        {
            throw WsFields.Invalid("group_ids must be a list such as [\"system-users\"]; groups are system-admin, system-users, system-read-only.");
        }

        return [.. groups.EnumerateArray().Select(g => g.GetString()!)];
    }

    private static ValueTask ListUsers(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var auth = c.Auth();
        c.PostResult(id, auth.ListUsers().Select(u => Describe(auth, u)).ToList(), UserResultsJsonContext.Default.ListUserInfo);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask CreateUserAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var name = message.RequireString("name");
        var groups = Groups(message);
        var localOnly = message.OptionalBool("local_only") ?? false;
        var auth = c.Auth();
        var user = await auth.Users.CreateAsync(c.Principal!.User.Id, name, groups, localOnly, ct).ConfigureAwait(false);
        c.PostResult(id, new UserResult(Describe(auth, user)), UserResultsJsonContext.Default.UserResult);
    }

    private static async ValueTask UpdateUserAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = message.RequireString("user_id");
        var update = new UserUpdate
        {
            Name = message.OptionalString("name"),
            IsActive = message.OptionalBool("is_active"),
            GroupIds = Groups(message),
            LocalOnly = message.OptionalBool("local_only"),
        };
        var auth = c.Auth();
        var user = await auth.Users.UpdateAsync(c.Principal!.User.Id, userId, update, ct).ConfigureAwait(false);
        c.PostResult(id, new UserResult(Describe(auth, user)), UserResultsJsonContext.Default.UserResult);
    }

    private static async ValueTask DeleteUserAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = message.RequireString("user_id");
        await c.Auth().Users.DeleteAsync(c.Principal!.User.Id, userId, ct).ConfigureAwait(false);
        c.PostResult(id);
    }

    private static async ValueTask CreateCredentialAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = message.RequireString("user_id");
        var username = message.RequireString("username");
        var password = message.RequireString("password");
        using var turn = await c.TakePasswordTurnAsync(id, ct).ConfigureAwait(false);
        if (turn is null) return;
        await c.Auth().Passwords.CreateCredentialAsync(c.Principal!.User.Id, userId, username, password, ct).ConfigureAwait(false);
        c.PostResult(id);
    }

    private static async ValueTask ChangePasswordAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var current = message.RequireString("current_password");
        var next = message.RequireString("new_password");
        var keepOthers = message.OptionalBool("keep_other_sessions") ?? false;
        using var turn = await c.TakePasswordTurnAsync(id, ct).ConfigureAwait(false);
        if (turn is null) return;
        await c.Auth().Passwords.ChangeAsync(c.Principal!.User.Id, current, next, c.Principal.RefreshTokenId, !keepOthers, c.Client, ct).ConfigureAwait(false);
        c.PostResult(id);
    }

    private static async ValueTask AdminChangePasswordAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = message.RequireString("user_id");
        var password = message.RequireString("password");
        using var turn = await c.TakePasswordTurnAsync(id, ct).ConfigureAwait(false);
        if (turn is null) return;
        await c.Auth().Passwords.AdminChangeAsync(c.Principal!.User.Id, userId, password, revokeTokens: true, ct).ConfigureAwait(false);
        c.PostResult(id);
    }

    private static async ValueTask TransferOwnerAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = message.RequireString("user_id");
        await c.Auth().Users.TransferOwnershipAsync(c.Principal!.User.Id, userId, ct).ConfigureAwait(false);
        c.PostResult(id);
    }
}
