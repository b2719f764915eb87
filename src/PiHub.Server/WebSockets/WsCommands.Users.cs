using System.Text.Json;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;

namespace PiHub.Server.WebSockets;

/// <summary>
/// User administration with Home Assistant's command names, plus <c>pihub/owner/transfer</c>.
/// The owner invariant is enforced by <see cref="AuthManager"/> for every one of them.
/// </summary>
internal static partial class WsCommands
{
    private static void AddUserCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["config/auth/list"] = (WsAccess.Admin, ListUsers);
        table["config/auth/create"] = (WsAccess.Admin, CreateUserAsync);
        table["config/auth/update"] = (WsAccess.Admin, UpdateUserAsync);
        table["config/auth/delete"] = (WsAccess.Admin, DeleteUserAsync);
        table["config/auth_provider/homeassistant/create"] = (WsAccess.Admin, CreateCredentialAsync);
        table["config/auth_provider/homeassistant/change_password"] = (WsAccess.Read, ChangePasswordAsync);
        table["config/auth_provider/homeassistant/admin_change_password"] = (WsAccess.Admin, AdminChangePasswordAsync);
        table["pihub/owner/transfer"] = (WsAccess.Admin, TransferOwnerAsync);
    }

    private static void WriteUser(Utf8JsonWriter w, AuthManager auth, User user)
    {
        w.WriteStartObject();
        w.WriteString("id", user.Id);
        w.WriteString("username", auth.GetCredentials(user.Id).FirstOrDefault()?.Username);
        w.WriteString("name", user.Name);
        w.WriteBoolean("is_owner", user.IsOwner);
        w.WriteBoolean("is_active", user.IsActive);
        w.WriteBoolean("local_only", user.LocalOnly);
        w.WriteBoolean("system_generated", user.SystemGenerated);
        w.WriteStartArray("group_ids");
        foreach (var g in user.GroupIds) w.WriteStringValue(g);
        w.WriteEndArray();
        w.WriteStartArray("credentials");
        foreach (var c in auth.GetCredentials(user.Id))
        {
            w.WriteStartObject();
            w.WriteString("type", c.ProviderType);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static IReadOnlyList<string>? Groups(JsonElement message)
    {
        if (!message.TryGetProperty("group_ids", out var groups) || groups.ValueKind == JsonValueKind.Null) return null;
        if (groups.ValueKind != JsonValueKind.Array || groups.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.String))
        {
            throw Format("group_ids must be a list such as [\"system-users\"]; groups are system-admin, system-users, system-read-only.");
        }

        return [.. groups.EnumerateArray().Select(g => g.GetString()!)];
    }

    private static bool? OptionalBool(JsonElement message, string name) =>
        !message.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw Format($"Field \"{name}\" must be true or false.");

    private static ValueTask ListUsers(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var auth = Auth(c);
        return Reply(c, WsMessages.Result(id, w =>
        {
            w.WriteStartArray();
            foreach (var u in auth.ListUsers()) WriteUser(w, auth, u);
            w.WriteEndArray();
        }));
    }

    private static ValueTask CreateUserAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var name = RequireString(message, "name");
        var groups = Groups(message);
        var localOnly = OptionalBool(message, "local_only") ?? false;
        return GuardAsync(c, id, async () =>
        {
            var auth = Auth(c);
            var user = await auth.Users.CreateAsync(c.Principal!.User.Id, name, groups, localOnly, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id, w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("user");
                WriteUser(w, auth, user);
                w.WriteEndObject();
            }));
        });
    }

    private static ValueTask UpdateUserAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = RequireString(message, "user_id");
        var update = new UserUpdate
        {
            Name = OptionalString(message, "name"),
            IsActive = OptionalBool(message, "is_active"),
            GroupIds = Groups(message),
            LocalOnly = OptionalBool(message, "local_only"),
        };
        return GuardAsync(c, id, async () =>
        {
            var auth = Auth(c);
            var user = await auth.Users.UpdateAsync(c.Principal!.User.Id, userId, update, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id, w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("user");
                WriteUser(w, auth, user);
                w.WriteEndObject();
            }));
        });
    }

    private static ValueTask DeleteUserAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = RequireString(message, "user_id");
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).Users.DeleteAsync(c.Principal!.User.Id, userId, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }

    private static ValueTask CreateCredentialAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = RequireString(message, "user_id");
        var username = RequireString(message, "username");
        var password = RequireString(message, "password");
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).Passwords.CreateCredentialAsync(c.Principal!.User.Id, userId, username, password, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }

    private static ValueTask ChangePasswordAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var current = RequireString(message, "current_password");
        var next = RequireString(message, "new_password");
        var keepOthers = OptionalBool(message, "keep_other_sessions") ?? false;
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).Passwords.ChangeAsync(c.Principal!.User.Id, current, next, c.Principal.RefreshTokenId, !keepOthers, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }

    private static ValueTask AdminChangePasswordAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = RequireString(message, "user_id");
        var password = RequireString(message, "password");
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).Passwords.AdminChangeAsync(c.Principal!.User.Id, userId, password, revokeTokens: true, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }

    private static ValueTask TransferOwnerAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var userId = RequireString(message, "user_id");
        return GuardAsync(c, id, async () =>
        {
            await Auth(c).Users.TransferOwnershipAsync(c.Principal!.User.Id, userId, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }
}
