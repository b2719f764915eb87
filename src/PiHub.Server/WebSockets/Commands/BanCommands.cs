using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>IP bans for admins: list them and lift one at once, without a restart.</summary>
internal static class BanCommands
{
    public static void Register(WsCommandTable table) => table
        .Add("pihub/bans/list", WsAccess.Admin, ListBans)
        .Add("pihub/bans/lift", WsAccess.Admin, LiftBanAsync);

    private static ValueTask ListBans(WsConnection c, int id, JsonElement _, CancellationToken __)
    {
        var bans = c.Services.GetRequiredService<BanManager>().ActiveBans()
            .Select(b => new BanInfo(b.Id, HubJson.FormatTime(b.BannedAt), HubJson.FormatTime(b.BannedUntil), b.Level, b.Reason))
            .ToList();
        c.PostResult(id, bans, BanResultsJsonContext.Default.ListBanInfo);
        return ValueTask.CompletedTask;
    }

    private static async ValueTask LiftBanAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var address = message.RequireString("address");
        var lifted = await c.Services.GetRequiredService<BanManager>().LiftAsync(address, cancellationToken).ConfigureAwait(false);
        if (!lifted) throw new HubException(HubErrorCodes.NotFound, $"{address} is not banned; pihub/bans/list shows the current bans.");
        c.PostResult(id);
    }
}
