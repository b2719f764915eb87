using System.Text.Json;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Server.History;

/// <summary>History and logbook in Home Assistant's shapes: REST (ISO times) and WebSocket (compressed, epoch floats).</summary>
internal static class HistoryJson
{
    /// <summary><c>[[{entity_id, state, attributes, last_changed, last_updated}, …], …]</c>; minimal rows are <c>{state, last_changed}</c>.</summary>
    public static void WriteRest(Utf8JsonWriter w, IReadOnlyList<EntityHistory> history)
    {
        w.WriteStartArray();
        foreach (var entity in history)
        {
            w.WriteStartArray();
            foreach (var row in entity.Rows)
            {
                w.WriteStartObject();
                if (row.Minimal)
                {
                    w.WriteString("state", row.State);
                    w.WriteString("last_changed", HubJson.FormatTime(row.LastUpdated));
                }
                else
                {
                    w.WriteString("entity_id", entity.EntityId);
                    w.WriteString("state", row.State);
                    w.WritePropertyName("attributes");
                    w.WriteRawValue(row.Attributes ?? StateRecord.EmptyAttributes, skipInputValidation: true);
                    w.WriteString("last_changed", HubJson.FormatTime(row.LastChanged));
                    w.WriteString("last_updated", HubJson.FormatTime(row.LastUpdated));
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    /// <summary><c>{entity_id: [{s, a?, lu, lc?}, …]}</c>; minimal rows are <c>{s, lu}</c>.</summary>
    public static void WriteCompressed(Utf8JsonWriter w, IReadOnlyList<EntityHistory> history)
    {
        w.WriteStartObject();
        foreach (var entity in history)
        {
            w.WriteStartArray(entity.EntityId);
            foreach (var row in entity.Rows) WriteCompressedRow(w, row.State, row.Minimal ? null : row.Attributes, row.LastChanged, row.LastUpdated, row.Minimal);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteCompressedRow(Utf8JsonWriter w, string state, string? attributes, DateTimeOffset lastChanged, DateTimeOffset lastUpdated, bool minimal)
    {
        w.WriteStartObject();
        w.WriteString("s", state);
        if (attributes is not null)
        {
            w.WritePropertyName("a");
            w.WriteRawValue(attributes, skipInputValidation: true);
        }

        w.WriteNumber("lu", HistoryTime.Epoch(lastUpdated));
        if (!minimal && lastChanged != lastUpdated) w.WriteNumber("lc", HistoryTime.Epoch(lastChanged));
        w.WriteEndObject();
    }

    /// <summary>A list of logbook entries; <paramref name="epoch"/> for the WebSocket API's float times.</summary>
    public static void WriteLogbook(Utf8JsonWriter w, IReadOnlyList<LogbookEntry> entries, bool epoch)
    {
        w.WriteStartArray();
        foreach (var e in entries) WriteEntry(w, e, epoch);
        w.WriteEndArray();
    }

    private static void WriteEntry(Utf8JsonWriter w, LogbookEntry e, bool epoch)
    {
        w.WriteStartObject();
        if (epoch) w.WriteNumber("when", HistoryTime.Epoch(e.When));
        else w.WriteString("when", HubJson.FormatTime(e.When));
        if (e.IsLogbookEntry)
        {
            w.WriteString("name", e.Name);
            w.WriteString("message", e.Message);
            w.WriteString("domain", e.Domain);
            w.WriteString("entity_id", e.EntityId);
        }
        else
        {
            w.WriteString("state", e.State);
            w.WriteString("entity_id", e.EntityId);
            if (e.Name is not null) w.WriteString("name", e.Name);
            if (e.Icon is not null) w.WriteString("icon", e.Icon);
        }

        Optional(w, "context_user_id", e.ContextUserId);
        Optional(w, "context_entity_id", e.ContextEntityId);
        Optional(w, "context_entity_id_name", e.ContextEntityIdName);
        Optional(w, "context_state", e.ContextState);
        Optional(w, "context_event_type", e.ContextEventType);
        Optional(w, "context_domain", e.ContextDomain);
        Optional(w, "context_service", e.ContextService);
        // PiHub's additions: who, by name, and through which token or app.
        Optional(w, "context_user_name", e.ContextUserName);
        Optional(w, "context_client_name", e.ContextClientName);
        Optional(w, "context_id", e.ContextId);
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
