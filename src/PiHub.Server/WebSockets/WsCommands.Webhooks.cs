using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Model;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Webhooks;

namespace PiHub.Server.WebSockets;

/// <summary>
/// Webhooks for admins: <c>pihub/webhook/create {name, local_only?, signing_secret?}</c> → <c>{webhook_id, url}</c>,
/// <c>pihub/webhook/list</c>, <c>pihub/webhook/delete {webhook_id}</c>. The list never shows signing secrets.
/// </summary>
internal static partial class WsCommands
{
    private static void AddWebhookCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["pihub/webhook/create"] = (WsAccess.Admin, CreateWebhookAsync);
        table["pihub/webhook/list"] = (WsAccess.Admin, ListWebhooks);
        table["pihub/webhook/delete"] = (WsAccess.Admin, DeleteWebhookAsync);
    }

    private static WebhookManager Webhooks(WsConnection c) => c.Services.GetRequiredService<WebhookManager>();

    /// <summary>The path of a webhook, relative to the hub's address (e.g. http://pihub.local:8123).</summary>
    private static string WebhookPath(Webhook webhook) => $"/api/webhook/{webhook.Id}";

    private static ValueTask CreateWebhookAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var name = RequireString(message, "name");
        var localOnly = OptionalBool(message, "local_only") ?? false;
        var secret = OptionalString(message, "signing_secret");
        return GuardAsync(c, id, async () =>
        {
            var webhook = await Webhooks(c).CreateAsync(c.Principal!.User.Id, name, localOnly, secret, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id, w =>
            {
                w.WriteStartObject();
                w.WriteString("webhook_id", webhook.Id);
                w.WriteString("url", WebhookPath(webhook));
                w.WriteEndObject();
            }));
        });
    }

    private static ValueTask ListWebhooks(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var webhooks = Webhooks(c).List();
        return Reply(c, WsMessages.Result(id, w =>
        {
            w.WriteStartArray();
            foreach (var webhook in webhooks)
            {
                w.WriteStartObject();
                w.WriteString("webhook_id", webhook.Id);
                w.WriteString("name", webhook.Name);
                w.WriteString("url", WebhookPath(webhook));
                w.WriteBoolean("local_only", webhook.LocalOnly);
                w.WriteBoolean("signed", webhook.SigningSecret is not null);
                w.WriteString("created_by", webhook.CreatedBy);
                w.WriteString("created_at", HubJson.FormatTime(webhook.CreatedAt));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    private static ValueTask DeleteWebhookAsync(WsConnection c, int id, JsonElement message, CancellationToken ct)
    {
        var webhookId = RequireString(message, "webhook_id");
        return GuardAsync(c, id, async () =>
        {
            await Webhooks(c).DeleteAsync(c.Principal!.User.Id, webhookId, ct).ConfigureAwait(false);
            c.Post(WsMessages.Result(id));
        });
    }
}
