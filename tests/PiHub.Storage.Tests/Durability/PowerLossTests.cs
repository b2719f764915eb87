using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Durability;

/// <summary>
/// Power cuts at random operations under four models of what a disk keeps: 0 lost
/// acknowledged commits and 0 unopenable stores. 200 cuts per model here, 2,000 with
/// PIHUB_TORTURE=1 (scripts/torture.sh).
/// </summary>
public sealed class PowerLossTests
{
    private static readonly bool s_torture = Environment.GetEnvironmentVariable("PIHUB_TORTURE") == "1";
    private static readonly int s_cuts = s_torture ? 2000 : 200;
    private static RecordedRun? s_run;

    private static RecordedRun Run => s_run ??= RecordedRun.Record(durable: true, RecordedRun.TypicalWorkload(40), checkpointEvery: 7);

    [Test]
    public void PowerCut_RandomOperation_NoAcknowledgedCommitLostAndStoreOpens([Values] CutModel model)
    {
        var random = new Random(1000 + (int)model);
        var failures = new List<string>();

        for (var i = 0; i < s_cuts; i++)
        {
            var cut = random.Next(Run.StartOp, Run.EndOp + 1);
            if (Run.Check(cut, model, random) is { } failure) failures.Add(failure);
        }

        Assert.That(failures, Is.Empty, $"{failures.Count} of {s_cuts} cuts failed");
    }

    [Test]
    public void PowerCut_EveryOperation_NoAcknowledgedCommitLost([Values] CutModel model)
    {
        var random = new Random(7 + (int)model);
        var failures = new List<string>();

        for (var cut = Run.StartOp; cut <= Run.EndOp; cut += s_torture ? 1 : 3)
        {
            if (Run.Check(cut, model, random) is { } failure) failures.Add(failure);
        }

        Assert.That(failures, Is.Empty);
    }

    /// <summary>
    /// The same cuts without the durability wrapper's flushes (LiteDB as shipped) lose
    /// acknowledged commits: proof that the test above can see the failure it guards against.
    /// </summary>
    [Test]
    public void PowerCut_WithoutDurableFlushes_LosesAcknowledgedCommits()
    {
        var run = RecordedRun.Record(durable: false, RecordedRun.TypicalWorkload(20), checkpointEvery: 7);
        var random = new Random(3);
        var lost = 0;
        var cuts = 0;

        for (var cut = run.StartOp; cut <= run.EndOp; cut += 2, cuts++)
        {
            if (run.Check(cut, CutModel.OnlyFlushed, random) is not null) lost++;
        }

        TestContext.Out.WriteLine($"without durable flushes: {lost} of {cuts} cuts lost acknowledged commits");
        Assert.That(lost, Is.GreaterThan(0));
    }

    /// <summary>
    /// Flushing only after the confirm page is not enough: when the disk reorders, the
    /// confirmation can land while pages it confirms do not. This is why the wrapper flushes before it too.
    /// </summary>
    [Test]
    public void PowerCut_WithoutFlushBeforeConfirmPage_ReorderingBreaksStores()
    {
        var run = RecordedRun.Record(durable: true, RecordedRun.TypicalWorkload(20), checkpointEvery: 7, syncBeforeConfirm: false);
        var random = new Random(5);
        var broken = 0;

        for (var i = 0; i < 400; i++)
        {
            if (run.Check(random.Next(run.StartOp, run.EndOp + 1), CutModel.Reordered, random) is not null) broken++;
        }

        TestContext.Out.WriteLine($"without the flush before the confirm page: {broken} of 400 cuts failed");
        Assert.That(broken, Is.GreaterThan(0));
    }
}
