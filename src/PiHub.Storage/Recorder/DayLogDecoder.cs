using System.Buffers.Binary;
using PiHub.Core.Hub;
using PiHub.Core.Recorder;

namespace PiHub.Storage.Recorder;

/// <summary>What checking a day file's frames found.</summary>
/// <param name="GoodLength">Bytes from the start of the file up to the end of the last valid frame.</param>
/// <param name="Frames">Valid frames.</param>
/// <param name="Problem">Null when the file ends cleanly; else what follows <paramref name="GoodLength"/>.</param>
/// <param name="TornTail">True when the problem can only be an interrupted last append (a power cut), not damage.</param>
internal readonly record struct FrameScan(int GoodLength, int Frames, string? Problem, bool TornTail);

/// <summary>Reads a day file: checks its frames and decodes its records, skipping unwanted ones cheaply.</summary>
internal sealed class DayLogDecoder
{
    private readonly DateOnly _day;
    private readonly long _dayStart;
    private readonly List<(int Offset, int Length)> _definitions = [];
    private string?[] _strings = new string?[64];
    private sbyte[] _wanted = new sbyte[64];
    private ulong _wantedBloom;
    private List<byte[]>? _wantedUtf8;

    public DayLogDecoder(DateOnly day)
    {
        _day = day;
        _dayStart = DayLogFormat.DayStartMicros(day);
    }

    /// <summary>What the last decode had to skip, or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>
    /// Checks the header and every frame's length and CRC. A bad frame with nothing valid-looking
    /// after it is a torn tail (a power cut during the last append); anything else is damage.
    /// </summary>
    public FrameScan ScanFrames(ReadOnlySpan<byte> file)
    {
        if (file.Length < DayLogFormat.HeaderSize)
        {
            // A file created but cut before its header reached the disk: nothing was committed in it.
            return new FrameScan(0, 0, file.Length == 0 ? null : "a header cut short", TornTail: true);
        }

        if (!DayLogFormat.IsHeader(file, _day)) return new FrameScan(0, 0, "its header is not a PiHub day-log header for this day", TornTail: false);
        var position = DayLogFormat.HeaderSize;
        var frames = 0;
        while (position < file.Length)
        {
            var rest = file.Length - position;
            if (rest < DayLogFormat.FrameHeaderSize) return new FrameScan(position, frames, $"{rest} stray bytes", TornTail: true);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(file[position..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 4)..]);
            if (length > DayLogFormat.MaxFrameBytes) return new FrameScan(position, frames, $"a frame length of {length} bytes", TornTail: length == 0 || IsZeros(file[position..]));
            var end = position + DayLogFormat.FrameHeaderSize + (long)length;
            if (end > file.Length) return new FrameScan(position, frames, "a frame cut short", TornTail: true);
            if (DayLogFormat.Crc32C(file.Slice(position + DayLogFormat.FrameHeaderSize, (int)length)) != crc)
            {
                // The last frame torn by a power cut, or damage in the middle with frames after it.
                var torn = end == file.Length || IsZeros(file[(int)end..]);
                return new FrameScan(position, frames, "a frame whose checksum does not match", torn);
            }

            position = (int)end;
            frames++;
        }

        return new FrameScan(position, frames, null, TornTail: false);
    }

    /// <summary>The string table a writer continues with when it appends to this file.</summary>
    public Dictionary<string, int> Definitions(ReadOnlySpan<byte> file, int length)
    {
        DecodeAll(file[..length], null, null);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _definitions.Count; i++) ids[StringAt(file, i)] = i;
        return ids;
    }

    /// <summary>
    /// True when the file's first state record restates the states at its UTC midnight; null when
    /// <paramref name="file"/> (a prefix of the file) ends before that record.
    /// </summary>
    public bool? BeginsWithDayBaseline(ReadOnlySpan<byte> file, int length)
    {
        var begins = false;
        var seen = false;
        DecodeAll(file[..length], null, (kind, flags, time) =>
        {
            if (kind != DayLogFormat.KindState) return false;
            begins = (flags & RecordFlags.Baseline) != 0 && time == 0;
            seen = true;
            return true; // only the first state record matters
        });
        return seen ? begins : Problem is null ? false : null;
    }

    /// <summary>Decodes the records <paramref name="request"/> wants into <paramref name="data"/>.</summary>
    public void Read(ReadOnlySpan<byte> file, int length, HistoryRead request, HistoryData data) =>
        DecodeAll(file[..length], (request, data), null);

    /// <summary>Sees each record's header before it is decoded; true stops decoding.</summary>
    private delegate bool Peek(byte kind, RecordFlags flags, long time);

    private void DecodeAll(ReadOnlySpan<byte> file, (HistoryRead Request, HistoryData Data)? target, Peek? peek)
    {
        Problem = null;
        _wantedBloom = 0;
        _wantedUtf8 = target?.Request.EntityIds?.Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        _definitions.Clear();
        Array.Clear(_strings);
        Array.Clear(_wanted);
        var position = DayLogFormat.HeaderSize;
        while (position + DayLogFormat.FrameHeaderSize <= file.Length)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(file[position..]);
            var payloadStart = position + DayLogFormat.FrameHeaderSize;
            if (length > (uint)(file.Length - payloadStart) || length < DayLogFormat.SummarySize)
            {
                // Damage in an older file: what came before it is still good.
                Problem = $"a damaged frame at byte {position}; the rest of the file was skipped";
                return;
            }

            var frameStart = position;
            position = payloadStart + (int)length;
            var summary = file.Slice(payloadStart, DayLogFormat.SummarySize);
            if (peek is null && target is { } only && only.Request.EntityIds is not null && !only.Request.Events
                && (summary[0] & DayLogFormat.SummaryDefines) == 0 && (BinaryPrimitives.ReadUInt64LittleEndian(summary[1..]) & _wantedBloom) == 0)
            {
                continue; // no state of a wanted entity in this frame and nothing defined: not even its checksum matters
            }

            if (DayLogFormat.Crc32C(file.Slice(payloadStart, (int)length)) != BinaryPrimitives.ReadUInt32LittleEndian(file[(frameStart + 4)..]))
            {
                Problem = $"a damaged frame at byte {frameStart}; the rest of the file was skipped";
                return;
            }

            var reader = new ByteReader(file.Slice(payloadStart + DayLogFormat.SummarySize, (int)length - DayLogFormat.SummarySize));
            var recordsStart = payloadStart + DayLogFormat.SummarySize;
            while (!reader.AtEnd)
            {
                var kind = reader.ReadByte();
                var size = reader.ReadInt();
                var bodyStart = reader.Position;
                var body = new ByteReader(reader.ReadBytes(size));
                switch (kind)
                {
                    case DayLogFormat.KindDefine:
                        var id = body.ReadInt();
                        if (id != _definitions.Count) throw new InvalidDataException($"definition {id} out of order (expected {_definitions.Count})");
                        _definitions.Add((recordsStart + bodyStart + body.Position, size - body.Position));
                        if (target is { } t0 && t0.Request.EntityIds is not null) MarkIfWanted(file, id, t0.Request);
                        break;
                    case DayLogFormat.KindState or DayLogFormat.KindEvent:
                        var reference = body.ReadInt();
                        // Most records of a one-entity query belong to other entities: skip them before decoding anything else.
                        if (peek is null && kind == DayLogFormat.KindState && target is { } wants && !Wanted(file, reference, wants.Request)) break;
                        var flags = (RecordFlags)body.ReadVarint();
                        var time = body.ReadSigned();
                        if (peek is not null && peek(kind, flags, time)) return;
                        if (target is { } t) Decode(file, kind, reference, flags, time, ref body, t.Request, t.Data);
                        break;
                    default:
                        throw new InvalidDataException($"unknown record kind {kind}");
                }
            }
        }
    }

    private void Decode(ReadOnlySpan<byte> file, byte kind, int reference, RecordFlags flags, long time, ref ByteReader body, HistoryRead request, HistoryData data)
    {
        var when = DayLogFormat.FromMicros(_dayStart + time);
        if (when >= request.To) return;
        var before = when < request.From;
        if (kind == DayLogFormat.KindEvent)
        {
            if (before || !request.Events) return;
            var data1 = body.ReadString();
            var context = ReadContext(file, ref body, flags, out var client);
            data.Add(new EventRecord(StringAt(file, reference), data1, (flags & RecordFlags.Remote) != 0 ? "REMOTE" : "LOCAL", when, context, client));
            return;
        }

        if (before ? !request.StartStates : !request.States) return;
        var updated = (flags & RecordFlags.LastUpdatedDiffers) != 0 ? when.AddTicks(body.ReadSigned() * 10) : when;
        var changed = (flags & RecordFlags.LastChangedDiffers) != 0 ? updated.AddTicks(-body.ReadSigned() * 10) : updated;
        var state = body.ReadString();
        var attributes = (flags & RecordFlags.AttributesRef) != 0 ? StringAt(file, body.ReadInt())
            : (flags & RecordFlags.AttributesInline) != 0 ? body.ReadString()
            : StateRecord.EmptyAttributes;
        var ctx = ReadContext(file, ref body, flags, out var clientName);
        var recordKind = (flags & RecordFlags.Baseline) != 0 ? StateRecordKind.Baseline
            : (flags & RecordFlags.Removed) != 0 ? StateRecordKind.Removed
            : StateRecordKind.Changed;
        var record = new StateRecord(StringAt(file, reference), state, attributes, changed, updated, ctx, clientName, recordKind, (flags & RecordFlags.IsNew) != 0)
        {
            Time = when,
        };
        HistoryRecorder.Merge(data, request, record);
    }

    private HubContext ReadContext(ReadOnlySpan<byte> file, ref ByteReader body, RecordFlags flags, out string? client)
    {
        var id = (flags & RecordFlags.ContextRaw) != 0 ? body.ReadString() : Bytes.FormatUlid(body.ReadBytes(16));
        string? parent = null;
        if ((flags & RecordFlags.HasParent) != 0) parent = (flags & RecordFlags.ParentRaw) != 0 ? body.ReadString() : Bytes.FormatUlid(body.ReadBytes(16));
        var user = (flags & RecordFlags.HasUser) != 0 ? StringAt(file, body.ReadInt()) : null;
        client = (flags & RecordFlags.HasClient) != 0 ? StringAt(file, body.ReadInt()) : null;
        return new HubContext(id, parent, user);
    }

    /// <summary>Whether the entity behind a definition is asked for (decided when it was defined).</summary>
    private bool Wanted(ReadOnlySpan<byte> file, int reference, HistoryRead request)
    {
        if (request.EntityIds is null) return true;
        if ((uint)reference >= (uint)_definitions.Count) throw new InvalidDataException($"reference to undefined string {reference}");
        return reference < _wanted.Length && _wanted[reference] > 0;
    }

    /// <summary>Marks a definition that spells a wanted entity id, without decoding any other definition.</summary>
    private void MarkIfWanted(ReadOnlySpan<byte> file, int id, HistoryRead request)
    {
        var (offset, length) = _definitions[id];
        var text = file.Slice(offset, length);
        foreach (var wanted in _wantedUtf8!)
        {
            if (!text.SequenceEqual(wanted)) continue;
            Grow(ref _wanted, id);
            _wanted[id] = 1;
            _wantedBloom |= 1UL << (id % 64);
            return;
        }
    }

    private string StringAt(ReadOnlySpan<byte> file, int id)
    {
        if ((uint)id >= (uint)_definitions.Count) throw new InvalidDataException($"reference to undefined string {id}");
        Grow(ref _strings, id);
        if (_strings[id] is { } cached) return cached;
        var (offset, length) = _definitions[id];
        return _strings[id] = System.Text.Encoding.UTF8.GetString(file.Slice(offset, length));
    }

    private static void Grow<T>(ref T[] array, int index)
    {
        if (index >= array.Length) Array.Resize(ref array, Math.Max(index + 1, array.Length * 2));
    }

    private static bool IsZeros(ReadOnlySpan<byte> rest) => !rest.ContainsAnyExcept((byte)0);
}
