using System.Buffers;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Storage.Recorder;

/// <summary>
/// Encodes records into one frame's payload for one day file. Keeps the file's string table:
/// an entity id, user, client or event type (and attributes, up to a limit) is defined once per
/// file and then written as a small number, which is most of why a state change costs ~40 bytes.
/// </summary>
internal sealed class DayLogEncoder
{
    /// <summary>Beyond this many definitions new attributes are written inline, so the table's memory stays bounded.</summary>
    public const int MaxDefinitions = 8192;

    private readonly long _dayStart;
    private readonly Dictionary<string, int> _ids;
    private readonly ArrayBufferWriter<byte> _body = new(256);

    public DayLogEncoder(DateOnly day, Dictionary<string, int>? definitions = null)
    {
        _dayStart = DayLogFormat.DayStartMicros(day);
        _ids = definitions ?? new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>Entities (numbered mod 64) with a state in the frame being encoded.</summary>
    public ulong FrameBloom { get; private set; }

    /// <summary>True when the frame being encoded defines strings.</summary>
    public bool FrameDefines { get; private set; }

    /// <summary>Starts a frame's payload: reserves its summary, filled by <see cref="WriteSummary"/>.</summary>
    public void BeginFrame(ArrayBufferWriter<byte> payload)
    {
        FrameBloom = 0;
        FrameDefines = false;
        payload.GetSpan(DayLogFormat.SummarySize);
        payload.Advance(DayLogFormat.SummarySize);
    }

    /// <summary>Writes the summary into the reserved bytes at the start of <paramref name="payload"/>.</summary>
    public void WriteSummary(Span<byte> payload)
    {
        payload[0] = FrameDefines ? DayLogFormat.SummaryDefines : (byte)0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(payload[1..], FrameBloom);
    }

    public void Encode(ArrayBufferWriter<byte> payload, Recorded record)
    {
        switch (record)
        {
            case StateRecord s:
                EncodeState(payload, s);
                break;
            case EventRecord e:
                EncodeEvent(payload, e);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().Name}.", nameof(record));
        }
    }

    private void EncodeState(ArrayBufferWriter<byte> payload, StateRecord s)
    {
        var entity = Ref(payload, s.EntityId);
        FrameBloom |= 1UL << (entity % 64);
        var flags = s.Kind switch
        {
            StateRecordKind.Baseline => RecordFlags.Baseline,
            StateRecordKind.Removed => RecordFlags.Removed,
            _ => RecordFlags.None,
        };
        if (s.IsNew) flags |= RecordFlags.IsNew;
        if (s.LastUpdated != s.Time) flags |= RecordFlags.LastUpdatedDiffers;
        if (s.LastChanged != s.LastUpdated) flags |= RecordFlags.LastChangedDiffers;
        var attributes = -1;
        if (s.AttributesJson != StateRecord.EmptyAttributes)
        {
            if (_ids.Count < MaxDefinitions || _ids.ContainsKey(s.AttributesJson))
            {
                attributes = Ref(payload, s.AttributesJson);
                flags |= RecordFlags.AttributesRef;
            }
            else
            {
                flags |= RecordFlags.AttributesInline;
            }
        }

        var (user, client) = ContextRefs(payload, s.Context, s.ClientName, ref flags);
        _body.ResetWrittenCount();
        Bytes.WriteVarint(_body, (ulong)entity);
        Bytes.WriteVarint(_body, (ulong)flags);
        var time = DayLogFormat.ToMicros(s.Time);
        var updated = DayLogFormat.ToMicros(s.LastUpdated);
        Bytes.WriteSigned(_body, time - _dayStart);
        if ((flags & RecordFlags.LastUpdatedDiffers) != 0) Bytes.WriteSigned(_body, updated - time);
        if ((flags & RecordFlags.LastChangedDiffers) != 0) Bytes.WriteSigned(_body, updated - DayLogFormat.ToMicros(s.LastChanged));
        Bytes.WriteString(_body, s.State);
        if (attributes >= 0) Bytes.WriteVarint(_body, (ulong)attributes);
        else if ((flags & RecordFlags.AttributesInline) != 0) Bytes.WriteString(_body, s.AttributesJson);
        WriteContext(s.Context, user, client, flags);
        Append(payload, DayLogFormat.KindState);
    }

    private void EncodeEvent(ArrayBufferWriter<byte> payload, EventRecord e)
    {
        var type = Ref(payload, e.EventType);
        var flags = string.Equals(e.Origin, "REMOTE", StringComparison.Ordinal) ? RecordFlags.Remote : RecordFlags.None;
        var (user, client) = ContextRefs(payload, e.Context, e.ClientName, ref flags);
        _body.ResetWrittenCount();
        Bytes.WriteVarint(_body, (ulong)type);
        Bytes.WriteVarint(_body, (ulong)flags);
        Bytes.WriteSigned(_body, DayLogFormat.ToMicros(e.Time) - _dayStart);
        Bytes.WriteString(_body, e.DataJson);
        WriteContext(e.Context, user, client, flags);
        Append(payload, DayLogFormat.KindEvent);
    }

    private (int User, int Client) ContextRefs(ArrayBufferWriter<byte> payload, HubContext context, string? clientName, ref RecordFlags flags)
    {
        Span<byte> scratch = stackalloc byte[16];
        if (!Bytes.TryParseUlid(context.Id, scratch)) flags |= RecordFlags.ContextRaw;
        if (context.ParentId is { } parent)
        {
            flags |= RecordFlags.HasParent;
            if (!Bytes.TryParseUlid(parent, scratch)) flags |= RecordFlags.ParentRaw;
        }

        var user = -1;
        var client = -1;
        if (context.UserId is { } userId)
        {
            flags |= RecordFlags.HasUser;
            user = Ref(payload, userId);
        }

        if (clientName is not null)
        {
            flags |= RecordFlags.HasClient;
            client = Ref(payload, clientName);
        }

        return (user, client);
    }

    private void WriteContext(HubContext context, int user, int client, RecordFlags flags)
    {
        WriteId(context.Id, (flags & RecordFlags.ContextRaw) != 0);
        if ((flags & RecordFlags.HasParent) != 0) WriteId(context.ParentId!, (flags & RecordFlags.ParentRaw) != 0);
        if (user >= 0) Bytes.WriteVarint(_body, (ulong)user);
        if (client >= 0) Bytes.WriteVarint(_body, (ulong)client);
    }

    private void WriteId(string id, bool raw)
    {
        if (raw)
        {
            Bytes.WriteString(_body, id);
            return;
        }

        Bytes.TryParseUlid(id, _body.GetSpan(16));
        _body.Advance(16);
    }

    /// <summary>The number of <paramref name="text"/> in this file's table, defining it first when new.</summary>
    private int Ref(ArrayBufferWriter<byte> payload, string text)
    {
        if (_ids.TryGetValue(text, out var id)) return id;
        id = _ids.Count;
        _ids[text] = id;
        FrameDefines = true;
        _body.ResetWrittenCount();
        Bytes.WriteVarint(_body, (ulong)id);
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        System.Text.Encoding.UTF8.GetBytes(text, _body.GetSpan(length));
        _body.Advance(length);
        Append(payload, DayLogFormat.KindDefine);
        return id;
    }

    private void Append(ArrayBufferWriter<byte> payload, byte kind)
    {
        payload.GetSpan(1)[0] = kind;
        payload.Advance(1);
        Bytes.WriteVarint(payload, (ulong)_body.WrittenCount);
        payload.Write(_body.WrittenSpan);
    }
}
