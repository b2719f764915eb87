using System.Collections.Concurrent;

namespace PiHub.Server.WebSockets;

/// <summary>
/// How many subscriptions (<c>subscribe_events</c>, <c>subscribe_entities</c>, <c>history/stream</c>,
/// <c>logbook/event_stream</c>) one connection and one user may hold. Each costs a copy of the subscriber list under
/// the bus's lock and a call per event, so an unbounded number lets one account slow every event for everyone.
/// PiHub's dashboard opens 2, home-assistant-js-websocket's collections a handful, Home Assistant's frontend and
/// Node-RED a few dozen: the caps sit an order of magnitude above what a real client reaches.
/// </summary>
internal sealed class WsSubscriptionLimits
{
    /// <summary>Subscriptions one connection may hold at once.</summary>
    public const int PerConnection = 500;

    /// <summary>Subscriptions one user may hold at once, across all of that user's connections.</summary>
    public const int PerUser = 2_000;

    private readonly ConcurrentDictionary<string, int> _perUser = new(StringComparer.Ordinal);

    /// <summary>Why a connection may not open another subscription (it or its user holds the most allowed), or null.</summary>
    public string? Refuse(WsConnection connection)
    {
        if (connection.SubscriptionCount >= PerConnection)
        {
            return
                $"This connection holds {PerConnection} subscriptions, the most one connection may; unsubscribe_events the ones " +
                "it no longer needs before subscribing again.";
        }

        var user = connection.Principal!.User;
        if (_perUser.GetValueOrDefault(user.Id) >= PerUser)
        {
            return
                $"{user.Name}'s connections hold {PerUser} subscriptions, the most one user may; unsubscribe_events the ones no " +
                "longer needed, or close connections that are left open.";
        }

        return null;
    }

    /// <summary>Counts a subscription opened (+1) or ended (-1) for a user.</summary>
    public void Count(string userId, int delta)
    {
        var now = _perUser.AddOrUpdate(userId, delta, (_, n) => n + delta);
        if (now <= 0) _perUser.TryRemove(new KeyValuePair<string, int>(userId, now));
    }
}
