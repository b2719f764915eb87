using PiHub.Core.Hub;
using PiHub.Core.Recorder;
using PiHub.Server.WebSockets;
using PiHub.Server.WebSockets.Commands;

namespace PiHub.Server.History;

/// <summary>
/// The results of <see cref="HistoryCommands"/>, in Home Assistant's compressed shapes. Written by hand, not
/// through a source-generated context: recorded attributes are kept as JSON text and copied verbatim
/// (<see cref="HistoryJson"/>), where DTOs would parse and re-serialize every row of a day's history.
/// </summary>
internal static class HistoryResults
{
    /// <summary><c>history/history_during_period</c>: <c>{entity_id: [{s, a?, lu, lc?}, …]}</c>.</summary>
    public static byte[] History(int id, IReadOnlyList<EntityHistory> history) =>
        WsMessages.Result(id, w => HistoryJson.WriteCompressed(w, history));

    /// <summary><c>history/history_during_period</c> for a period that has not begun: <c>{}</c>.</summary>
    public static byte[] EmptyHistory(int id) => WsMessages.ResultRaw(id, "{}"u8);

    /// <summary><c>logbook/get_events</c>: a list of entries with epoch-second times.</summary>
    public static byte[] Logbook(int id, IReadOnlyList<LogbookEntry> entries) =>
        WsMessages.Result(id, w => HistoryJson.WriteLogbook(w, entries, epoch: true));

    /// <summary><c>logbook/get_events</c> for a period that has not begun, or for device ids only: <c>[]</c>.</summary>
    public static byte[] EmptyLogbook(int id) => WsMessages.ResultRaw(id, "[]"u8);

    /// <summary><c>history/stream</c>'s first event: <c>{"states": {…}, "start_time", "end_time"}</c>.</summary>
    public static byte[] StreamBackfill(IReadOnlyList<EntityHistory> history, DateTimeOffset start, DateTimeOffset end) =>
        HubJson.ToBytes((history, start, end), static (w, s) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("states");
            HistoryJson.WriteCompressed(w, s.history);
            w.WriteNumber("start_time", HistoryTime.Epoch(s.start));
            w.WriteNumber("end_time", HistoryTime.Epoch(s.end));
            w.WriteEndObject();
        });
}
