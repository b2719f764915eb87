using System.Runtime.CompilerServices;
using System.Text.Json;
using PiHub.Core.Hub;

namespace PiHub.Server.WebSockets;

/// <summary>
/// The compressed state format of <c>subscribe_entities</c>: <c>a</c> (added), <c>c</c> (changed,
/// with <c>+</c> and <c>-</c>), <c>r</c> (removed). A change's payload is computed once and
/// shared by every subscriber that sees it.
/// </summary>
internal static class EntityDiff
{
    private static readonly ConditionalWeakTable<StateChangedEvent, byte[]> s_cache = [];

    /// <summary>The initial message: every given state as added.</summary>
    public static byte[] Initial(IEnumerable<State> states) => Core.Hub.HubJson.ToBytes(states, static (w, list) =>
    {
        w.WriteStartObject();
        w.WriteStartObject("a");
        foreach (var s in list)
        {
            w.WritePropertyName(s.EntityId);
            WriteFull(w, s);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>The payload for one change, cached per event.</summary>
    public static byte[] For(StateChangedEvent e) => s_cache.GetValue(e, static ev => Core.Hub.HubJson.ToBytes(ev, static (w, x) => Write(w, x)));

    private static void Write(Utf8JsonWriter w, StateChangedEvent e)
    {
        w.WriteStartObject();
        if (e.NewState is null)
        {
            w.WriteStartArray("r");
            w.WriteStringValue(e.EntityId);
            w.WriteEndArray();
        }
        else if (e.OldState is null)
        {
            w.WriteStartObject("a");
            w.WritePropertyName(e.EntityId);
            WriteFull(w, e.NewState);
            w.WriteEndObject();
        }
        else
        {
            w.WriteStartObject("c");
            w.WriteStartObject(e.EntityId);
            WriteChange(w, e.OldState, e.NewState);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteFull(Utf8JsonWriter w, State s)
    {
        w.WriteStartObject();
        w.WriteString("s", s.Value);
        w.WritePropertyName("a");
        s.Attributes.WriteTo(w);
        WriteContext(w, s.Context);
        w.WriteNumber("lc", Epoch(s.LastChanged));
        if (s.LastUpdated != s.LastChanged) w.WriteNumber("lu", Epoch(s.LastUpdated));
        w.WriteEndObject();
    }

    private static void WriteChange(Utf8JsonWriter w, State old, State now)
    {
        w.WriteStartObject("+");
        if (old.Value != now.Value) w.WriteString("s", now.Value);
        if (old.Context != now.Context) WriteContext(w, now.Context);
        if (old.LastChanged != now.LastChanged) w.WriteNumber("lc", Epoch(now.LastChanged));
        else w.WriteNumber("lu", Epoch(now.LastUpdated));
        var removed = new List<string>();
        var wroteAttrs = false;
        foreach (var p in now.Attributes.EnumerateObject())
        {
            if (old.Attributes.TryGetProperty(p.Name, out var before) && JsonElement.DeepEquals(before, p.Value)) continue;
            if (!wroteAttrs)
            {
                w.WriteStartObject("a");
                wroteAttrs = true;
            }

            p.WriteTo(w);
        }

        if (wroteAttrs) w.WriteEndObject();
        foreach (var p in old.Attributes.EnumerateObject())
        {
            if (!now.Attributes.TryGetProperty(p.Name, out _)) removed.Add(p.Name);
        }

        w.WriteEndObject();
        if (removed.Count > 0)
        {
            w.WriteStartObject("-");
            w.WriteStartArray("a");
            foreach (var name in removed) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    private static void WriteContext(Utf8JsonWriter w, HubContext c)
    {
        if (c.ParentId is null && c.UserId is null)
        {
            w.WriteString("c", c.Id);
            return;
        }

        w.WritePropertyName("c");
        Core.Hub.HubJson.WriteContext(w, c);
    }

    private static double Epoch(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
