using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets;

/// <summary>IP bans for admins: list them and lift one at once, without a restart.</summary>
internal static partial class WsCommands
{
    private static void AddBanCommands(Dictionary<string, (WsAccess, WsCommandHandler)> table)
    {
        table["pihub/bans/list"] = (WsAccess.Admin, ListBans);
        table["pihub/bans/lift"] = (WsAccess.Admin, LiftBanAsync);
    }

    private static ValueTask ListBans(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var bans = c.Services.GetRequiredService<BanManager>().ActiveBans();
        return Reply(c, WsMessages.Result(id, w =>
        {
            w.WriteStartArray();
            foreach (var b in bans)
            {
                w.WriteStartObject();
                w.WriteString("address", b.Id);
                w.WriteString("banned_at", HubJson.FormatTime(b.BannedAt));
                w.WriteString("banned_until", HubJson.FormatTime(b.BannedUntil));
                w.WriteNumber("level", b.Level);
                w.WriteString("reason", b.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    private static async ValueTask LiftBanAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var address = RequireString(message, "address");
        var lifted = await c.Services.GetRequiredService<BanManager>().LiftAsync(address, cancellationToken).ConfigureAwait(false);
        c.Post(lifted
            ? WsMessages.Result(id)
            : WsMessages.Error(id, "not_found", $"{address} is not banned; pihub/bans/list shows the current bans."));
    }
}
