using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Model;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Webhooks;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.Webhooks;

/// <summary>
/// Webhooks for admins: <c>pihub/webhook/create {name, local_only?, signing_secret?}</c> → <c>{webhook_id, url}</c>,
/// <c>pihub/webhook/list</c>, <c>pihub/webhook/delete {webhook_id}</c>. The list never shows signing secrets.
/// </summary>
internal static class WebhookCommands
{
    public static void Register(WsCommandTable table) => table
        .Add("pihub/webhook/create", WsAccess.Admin, CreateWebhookAsync, credentials: true)
        .Add("pihub/webhook/list", WsAccess.Admin, ListWebhooks, credentials: true)
        .Add("pihub/webhook/delete", WsAccess.Admin, DeleteWebhookAsync, credentials: true);

    private static WebhookManager Webhooks(this WsConnection c) => c.Services.GetRequiredService<WebhookManager>();

    /// <summary>The path of a webhook, relative to the hub's address (e.g. http://pihub.local:8123).</summary>
    private static string WebhookPath(Webhook webhook) => $"/api/webhook/{webhook.Id}";

    private static async ValueTask CreateWebhookAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var name = message.RequireString("name");
        var localOnly = message.OptionalBool("local_only") ?? false;
        var secret = message.OptionalString("signing_secret");
        var webhook = await c.Webhooks().CreateAsync(c.Principal!.User.Id, name, localOnly, secret, ct).ConfigureAwait(false);
        c.PostResult(id, new WebhookCreated(webhook.Id, WebhookPath(webhook)), WebhookResultsJsonContext.Default.WebhookCreated);
    }

    private static ValueTask ListWebhooks(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var webhooks = c.Webhooks().List().Select(w => new WebhookInfo(
            w.Id, w.Name, WebhookPath(w), w.LocalOnly, w.SigningSecret is not null, w.CreatedBy, HubJson.FormatTime(w.CreatedAt))).ToList();
        c.PostResult(id, webhooks, WebhookResultsJsonContext.Default.ListWebhookInfo);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask DeleteWebhookAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var webhookId = message.RequireString("webhook_id");
        await c.Webhooks().DeleteAsync(c.Principal!.User.Id, webhookId, ct).ConfigureAwait(false);
        c.PostResult(id);
    }
}
