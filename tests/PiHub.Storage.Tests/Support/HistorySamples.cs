using System.Globalization;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Storage.Tests.Support;

/// <summary>Records for history store tests.</summary>
internal static class HistorySamples
{
    /// <summary>An evening, so a few hours of changes cross UTC midnight.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 22, 0, 0, TimeSpan.Zero);

    public const string OwnerId = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

    private static int s_counter;

    public static HubContext Context(string? userId = null, string? parentId = null) =>
        new(HubContext.NewUlid(TimeProvider.System), parentId, userId);

    public static StateRecord State(string entityId, string state, DateTimeOffset at, string? attributes = null,
        DateTimeOffset? lastChanged = null, string? userId = null, string? client = null, StateRecordKind kind = StateRecordKind.Changed, bool isNew = false) =>
        new(entityId, state, attributes ?? StateRecord.EmptyAttributes, lastChanged ?? at, at, Context(userId), client, kind, isNew);

    public static EventRecord Event(string type, DateTimeOffset at, string data = "{}", string? userId = null, string? client = null) =>
        new(type, data, "LOCAL", at, Context(userId), client);

    /// <summary>One commit's worth of records: a few sensors, a light toggled by a token, a service call.</summary>
    public static List<Recorded> Batch(int n, DateTimeOffset at)
    {
        var call = Event("call_service", at, """{"domain":"input_boolean","service":"toggle","service_data":{"entity_id":"input_boolean.porch"}}""", OwnerId, "Tasker");
        var list = new List<Recorded>
        {
            call,
            new StateRecord("input_boolean.porch", n % 2 == 0 ? "on" : "off", """{"friendly_name":"Porch light"}""", at, at,
                call.Context, "Tasker"),
        };
        for (var i = 0; i < 4; i++)
        {
            var counter = Interlocked.Increment(ref s_counter);
            list.Add(State($"sensor.power_{i}", (100 + n + i).ToString(CultureInfo.InvariantCulture), at.AddMilliseconds(10 + i),
                $$"""{"unit_of_measurement":"W","friendly_name":"Power {{i}}","n":{{counter % 3}}}"""));
        }

        return list;
    }

    /// <summary>A string that tells two records apart by everything a store keeps.</summary>
    public static string Fingerprint(Recorded r) => r switch
    {
        StateRecord s => $"S {s.EntityId} {s.State} {s.AttributesJson} lc={s.LastChanged:O} lu={s.LastUpdated:O} t={s.Time:O} {s.Kind} new={s.IsNew} {Ctx(s)}",
        EventRecord e => $"E {e.EventType} {e.DataJson} {e.Origin} t={e.Time:O} {Ctx(e)}",
        _ => throw new ArgumentException("unknown record", nameof(r)),
    };

    private static string Ctx(Recorded r) => $"ctx={r.Context.Id}/{r.Context.ParentId}/{r.Context.UserId} client={r.ClientName}";

    /// <summary>Reads everything a store holds.</summary>
    public static HistoryData ReadAll(IHistoryStore store) =>
        store.Read(new HistoryRead(DateTimeOffset.MinValue.AddYears(2000), DateTimeOffset.MaxValue.AddYears(-100), null, StartStates: false, States: true, Events: true));
}
