using System.Globalization;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Mfa;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Admin;

/// <summary><c>mfa …</c>, <c>tokens …</c> and <c>bans …</c>: second factors, sessions and tokens, banned addresses.</summary>
internal sealed class SecurityOperations(AdminContext context)
{
    /// <summary>Home Assistant's default lifetime of a long-lived access token.</summary>
    public const int DefaultTokenDays = 3650;

    private AuthManager Auth => context.Auth;

    /// <summary>Removes every second factor of the user (lost phone), the owner's too: this is the console.</summary>
    public async Task<AdminResult> ResetMfaAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        var removed = await Auth.ResetMfaAsync(AuthActor.Console, user.Id, cancellationToken).ConfigureAwait(false);
        var data = Auth.Data;
        var label = AdminContext.Label(data, user);
        return new AdminResult
        {
            Message = !removed
                ? $"{label} has no second factor; nothing changed."
                : $"{label}'s authenticator app and recovery codes are removed: they log in with the password alone and can set up a new app in their profile.",
            User = AdminContext.Describe(data, data.Users[user.Id]),
            Generation = data.Generation,
        };
    }

    /// <summary>Replaces the user's recovery codes with new ones, shown once.</summary>
    public async Task<AdminResult> NewRecoveryCodesAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        var codes = await Auth.Totp.ReplaceRecoveryCodesAsync(AuthActor.Console, user.Id, cancellationToken).ConfigureAwait(false);
        var data = Auth.Data;
        return new AdminResult
        {
            Message = $"New recovery codes for {AdminContext.Label(data, user)}; the old ones stopped working. Each works once; store them offline, they are not shown again.",
            RecoveryCodes = codes,
            Generation = data.Generation,
        };
    }

    public AdminResult ListTokens(AdminRequest request)
    {
        var data = Auth.Data;
        var users = string.IsNullOrWhiteSpace(request.Username)
            ? Auth.ListUsers()
            : [AdminContext.RequireUser(data, request.Username)];
        var tokens = users
            .SelectMany(u => Auth.Tokens.ListRefreshTokens(u.Id).Select(t => new AdminTokenInfo(
                t.Id,
                AdminContext.Label(data, u),
                t.TokenType,
                t.ClientName ?? t.ClientId,
                t.CreatedAt,
                t.LastUsedAt,
                t.LastUsedIp,
                t.ExpireAt)))
            .OrderBy(t => t.CreatedAt)
            .ToList();
        return new AdminResult
        {
            Message = tokens.Count == 1 ? "1 session or token." : string.Create(CultureInfo.InvariantCulture, $"{tokens.Count} sessions and tokens."),
            Tokens = tokens,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> RevokeTokenAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.TokenId)) throw AdminException.Missing("The token id", "pihub-cli tokens revoke 3f2a… (ids from `pihub-cli tokens list`)");
        var id = request.TokenId.Trim();
        await Auth.Tokens.DeleteRefreshTokenAsync(AuthActor.Console, id, cancellationToken).ConfigureAwait(false);
        var data = Auth.Data;
        return new AdminResult
        {
            Message = $"Token {id} is revoked: its access tokens and connections stopped working.",
            TokensRevoked = 1,
            Generation = data.Generation,
        };
    }

    public async Task<AdminResult> CreateTokenAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var user = AdminContext.RequireUser(Auth.Data, request.Username);
        if (string.IsNullOrWhiteSpace(request.Client)) throw AdminException.Missing("The client name", "pihub-cli tokens create alice --client \"Tasker on my phone\"");
        var days = request.Days ?? DefaultTokenDays;
        var token = await Auth.Tokens.CreateLongLivedTokenAsync(user.Id, request.Client, days, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var data = Auth.Data;
        return new AdminResult
        {
            Message = $"Long-lived token \"{request.Client.Trim()}\" for {AdminContext.Label(data, user)}, valid {days} days. " +
                      "It is shown once: copy it now (send it as `Authorization: Bearer <token>`).",
            AccessToken = token,
            Generation = data.Generation,
        };
    }

    public AdminResult ListBans()
    {
        var bans = context.Bans.ActiveBans()
            .Select(b => new AdminBanInfo(b.Id, b.BannedAt, b.BannedUntil, b.Level, b.Reason))
            .ToList();
        return new AdminResult
        {
            Message = bans.Count switch
            {
                0 => "No address is banned.",
                1 => "1 address is banned.",
                _ => string.Create(CultureInfo.InvariantCulture, $"{bans.Count} addresses are banned."),
            },
            Bans = bans,
            Generation = context.Store.Current.Generation,
        };
    }

    public async Task<AdminResult> LiftBansAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (request.All)
        {
            var lifted = new List<string>();
            foreach (var address in context.Bans.ActiveBans().Select(b => b.Id).Concat(context.Store.Current.Bans.Keys).Distinct().ToList())
            {
                if (await context.Bans.LiftAsync(address, cancellationToken).ConfigureAwait(false)) lifted.Add(address);
            }

            return new AdminResult
            {
                Message = lifted.Count == 0 ? "No address was banned; nothing changed." : $"Lifted the bans of {string.Join(", ", lifted)}.",
                Generation = context.Store.Current.Generation,
            };
        }

        if (string.IsNullOrWhiteSpace(request.Address)) throw AdminException.Missing("The address", "pihub-cli bans lift 192.168.1.20, or pihub-cli bans lift --all");
        var key = request.Address.Trim();
        if (!await context.Bans.LiftAsync(key, cancellationToken).ConfigureAwait(false))
        {
            throw new AdminException(AdminFailure.Failed, AuthErrorCodes.NotFound,
                $"{key} is not banned; list the banned addresses with `pihub-cli bans list`.");
        }

        return new AdminResult
        {
            Message = $"The ban of {key} is lifted: it can log in again at once.",
            Generation = context.Store.Current.Generation,
        };
    }
}
