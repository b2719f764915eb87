using System.Security.Cryptography;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Hub.Webhooks;

/// <summary>
/// The hub's webhooks (<c>/api/webhook/{id}</c>): create, list, find and delete, admins only. The records live in
/// the auth store beside the users who manage them, so every change goes through <see cref="AuthManager"/>'s
/// write gate; the HTTP side is the server's webhook endpoint.
/// </summary>
public sealed class WebhookManager
{
    /// <summary>Shortest per-webhook signing secret accepted, in characters.</summary>
    public const int MinSigningSecretLength = 16;

    /// <summary>Longest per-webhook signing secret accepted, in characters.</summary>
    public const int MaxSigningSecretLength = 256;

    private readonly AuthManager _auth;

    /// <summary>Creates the manager over the auth system that stores and guards the webhook records.</summary>
    public WebhookManager(AuthManager auth) => _auth = auth ?? throw new ArgumentNullException(nameof(auth));

    /// <summary>Every webhook, oldest first.</summary>
    public IReadOnlyList<Webhook> List() =>
        [.. _auth.Data.Webhooks.Values.OrderBy(w => w.CreatedAt).ThenBy(w => w.Id, StringComparer.Ordinal)];

    /// <summary>A webhook by id (the secret in its URL), or null.</summary>
    public Webhook? Find(string webhookId) =>
        string.IsNullOrEmpty(webhookId) ? null : _auth.Data.Webhooks.GetValueOrDefault(webhookId);

    /// <summary>
    /// Creates a webhook (admins only). Its id is 32 random bytes in hex and is the only secret of
    /// <c>/api/webhook/{id}</c>; <paramref name="signingSecret"/>, when given, also requires an HMAC-SHA256 signature.
    /// </summary>
    public async Task<Webhook> CreateAsync(string actorUserId, string name, bool localOnly, string? signingSecret,
        CancellationToken cancellationToken = default)
    {
        var validName = CredentialRules.ValidateName(name);
        if (signingSecret is not null
            && (signingSecret.Length is < MinSigningSecretLength or > MaxSigningSecretLength || signingSecret.Any(char.IsControl)))
        {
            throw new AuthException(AuthErrorCodes.InvalidFormat,
                $"The signing secret must be {MinSigningSecretLength} to {MaxSigningSecretLength} printable characters; " +
                "generate one with `openssl rand -hex 32`, or leave signing_secret out for an unsigned webhook.");
        }

        var webhook = new Webhook
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            Name = validName,
            LocalOnly = localOnly,
            SigningSecret = signingSecret,
            CreatedBy = actorUserId,
            CreatedAt = _auth.Now,
        };
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actorUserId);
            return new AuthChangeSet($"create webhook {validName}").Put(webhook);
        }, cancellationToken).ConfigureAwait(false);
        return webhook;
    }

    /// <summary>Deletes a webhook (admins only); its URL answers like an unknown one from then on.</summary>
    public async Task DeleteAsync(string actorUserId, string webhookId, CancellationToken cancellationToken = default)
    {
        await _auth.MutateAsync(data =>
        {
            AuthDataRules.RequireAdmin(data, actorUserId);
            if (!data.Webhooks.TryGetValue(webhookId ?? "", out var webhook))
            {
                throw new AuthException(AuthErrorCodes.NotFound,
                    "Webhook not found: it was deleted or never existed; pihub/webhook/list shows the current ones.");
            }

            return new AuthChangeSet($"delete webhook {webhook.Name}").Delete(webhook);
        }, cancellationToken).ConfigureAwait(false);
    }
}
