using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Recorder;
using PiHub.Storage.Recorder;
using PiHub.Storage.Tests.Support;
using static PiHub.Storage.Tests.Support.HistorySamples;

namespace PiHub.Storage.Tests.Recorder;

/// <summary>
/// Power cuts at every write and flush of a run of recorder commits (crossing UTC midnight, so a
/// new day file is created mid-run), under three models of what the medium keeps: the store
/// always opens without damage and holds exactly the acknowledged commits, plus at most the one
/// being written, whole.
/// </summary>
public sealed class HistoryPowerLossTests
{
    [Test]
    public void PowerCut_EveryOperationOfEveryCommit_AcknowledgedHistoryIntact(
        [Values(CutModel.OnlyFlushed, CutModel.BarrierPlusPrefix, CutModel.Reordered)] CutModel model)
    {
        var medium = new SimulatedMedium();
        var files = new SimulatedHistoryFiles(medium);
        var commits = new List<List<Recorded>>();
        var acks = new List<int>();
        using (var store = DayLogHistoryStore.Open(files, NullLogger.Instance, TimeProvider.System))
        {
            for (var n = 0; n < 30; n++)
            {
                var batch = Batch(n, T0.AddMinutes(n * 5)); // 22:00 to 00:25
                store.Append(batch);
                commits.Add(batch);
                acks.Add(medium.OpCount);
            }
        }

        var random = new Random(11 + (int)model);
        var failures = new List<string>();
        for (var cut = 0; cut <= medium.OpCount; cut++)
        {
            var acknowledged = acks.Count(a => a <= cut);
            var images = files.ImagesAfterCut(cut, model, random);
            try
            {
                using var reopened = DayLogHistoryStore.Open(new SimulatedHistoryFiles(new SimulatedMedium(), images), NullLogger.Instance, TimeProvider.System);
                var read = ReadAll(reopened).Items.Select(Fingerprint).ToList();
                if (reopened.StartupReport is { } report) failures.Add($"cut {cut}: store reported damage: {report}");
                var matches = Enumerable.Range(acknowledged, Math.Min(2, commits.Count - acknowledged + 1))
                    .Any(k => read.SequenceEqual(commits.Take(k).SelectMany(c => c).Select(Fingerprint)));
                if (!matches) failures.Add($"cut {cut}: {read.Count} records read, {acknowledged} commits acknowledged");
            }
            catch (Exception ex)
            {
                failures.Add($"cut {cut}: store does not open or read: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.That(failures, Is.Empty);
    }
}
