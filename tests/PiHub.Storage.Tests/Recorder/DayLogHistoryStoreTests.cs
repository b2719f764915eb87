using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Recorder;
using PiHub.Storage.Recorder;
using PiHub.Storage.Tests.Support;
using static PiHub.Storage.Tests.Support.HistorySamples;

namespace PiHub.Storage.Tests.Recorder;

/// <summary>The day log's own promises: torn tails cut off, damage moved aside, a failed write never duplicated.</summary>
public sealed class DayLogHistoryStoreTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDir();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private DayLogHistoryStore Open() => DayLogHistoryStore.Open(_dir.Path, NullLogger.Instance, TimeProvider.System);

    private string DayFile => Path.Combine(_dir.Path, "history", DayLogFormat.FileName(DateOnly.FromDateTime(T0.UtcDateTime)));

    [Test]
    public void Open_TornLastFrame_CutOffAndEarlierCommitsKept()
    {
        using (var store = Open())
        {
            store.Append(Batch(0, T0));
            store.Append(Batch(1, T0.AddMinutes(1)));
        }

        var full = new FileInfo(DayFile).Length;
        Corruptor.Truncate(DayFile, full - 7); // the last frame, torn by a power cut

        using var reopened = Open();

        Assert.That(reopened.StartupReport, Is.Null, "a torn tail is what a power cut leaves, not damage");
        Assert.That(ReadAll(reopened).Items, Has.Count.EqualTo(6));
        Assert.That(new FileInfo(DayFile).Length, Is.LessThan(full - 7));
        reopened.Append(Batch(2, T0.AddMinutes(2)));
        Assert.That(ReadAll(reopened).Items, Has.Count.EqualTo(12));
    }

    [Test]
    public void Open_DamageBeforeTheLastFrame_MovedAsideAndReported()
    {
        using (var store = Open())
        {
            store.Append(Batch(0, T0));
            store.Append(Batch(1, T0.AddMinutes(1)));
        }

        var bytes = File.ReadAllBytes(DayFile);
        bytes[DayLogFormat.HeaderSize + 20] ^= 0xFF; // inside the first frame, with a good frame after it
        File.WriteAllBytes(DayFile, bytes);

        using var reopened = Open();

        Assert.That(reopened.StartupReport, Does.Contain("moved aside"));
        Assert.That(Directory.GetFiles(Path.Combine(_dir.Path, "history"), "*.corrupt-*"), Has.Length.EqualTo(1));
        reopened.Append(Batch(2, T0.AddMinutes(2)));
        Assert.That(ReadAll(reopened).Items, Has.Count.EqualTo(6));
    }

    [Test]
    public void Append_WriteFailsThenSucceeds_NothingRecordedTwice()
    {
        var files = new SimulatedHistoryFiles(new SimulatedMedium());
        using var store = DayLogHistoryStore.Open(files, NullLogger.Instance, TimeProvider.System);
        store.Append(Batch(0, T0));
        var batch = Batch(1, T0.AddMinutes(1));

        files.Failing = true;
        Assert.Throws<IOException>(() => store.Append(batch));
        files.Failing = false;
        store.Append(batch);

        Assert.That(ReadAll(store).Items, Has.Count.EqualTo(12));
    }

    [Test]
    public void Read_OneEntityOfManyInSeparateCommits_SkippedFramesLoseNothing()
    {
        using var store = Open();
        for (var n = 0; n < 300; n++)
        {
            // 100 entities, one per commit: entity numbers wrap the 64-bit frame summary.
            store.Append([State($"sensor.e{n % 100}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), T0.AddSeconds(n), $$"""{"n":{{n % 7}}}""")]);
        }

        var data = store.Read(new HistoryRead(T0, T0.AddHours(1), new HashSet<string> { "sensor.e70", "sensor.e6" }, StartStates: false));

        Assert.That(data.Items.OfType<StateRecord>().Select(s => s.State), Is.EqualTo(new[] { "6", "70", "106", "170", "206", "270" }));
    }

    [Test]
    public void Read_OlderFileDamaged_GoodFramesStillRead()
    {
        using (var store = Open())
        {
            store.Append(Batch(0, T0.AddDays(-1)));
            store.Append(Batch(1, T0.AddDays(-1).AddMinutes(1)));
            store.Append(Batch(2, T0));
        }

        var older = Path.Combine(_dir.Path, "history", DayLogFormat.FileName(DateOnly.FromDateTime(T0.UtcDateTime.AddDays(-1))));
        var bytes = File.ReadAllBytes(older);
        bytes[^3] ^= 0xFF; // the second frame of yesterday
        File.WriteAllBytes(older, bytes);

        using var reopened = Open();

        Assert.That(ReadAll(reopened).Items, Has.Count.EqualTo(12));
    }
}
