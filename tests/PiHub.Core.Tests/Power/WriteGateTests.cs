using PiHub.Core.Power;

namespace PiHub.Core.Tests.Power;

public class WriteGateTests
{
    [Test]
    public void Refuses_Open_FalseAndNothingNoted()
    {
        var gate = new WriteGate();

        Assert.That(gate.Refuses("hub", "save x"), Is.False);
        Assert.That(gate.Refused, Is.EqualTo(RefusedChanges.None).Using<RefusedChanges>((a, b) => a.Total == b.Total && a.Items.Count == b.Items.Count));
    }

    [Test]
    public void Resume_AfterRefusals_ReturnsThemCountedAndOpens()
    {
        var gate = new WriteGate();
        gate.Pause();

        gate.Refuses("hub", "save restore_state/input_boolean.porch");
        gate.Refuses("auth", "create refresh token for Bob");
        gate.Refuses("hub", "save restore_state/input_boolean.porch");
        var refused = gate.Resume();

        Assert.That(refused.Total, Is.EqualTo(3));
        Assert.That(refused.Items, Is.EqualTo(new[]
        {
            new RefusedChange("hub", "save restore_state/input_boolean.porch", 2),
            new RefusedChange("auth", "create refresh token for Bob", 1),
        }));
        Assert.That(gate.IsPaused, Is.False);
        Assert.That(gate.Refuses("hub", "save y"), Is.False);
    }

    [Test]
    public void Refuses_ManyDistinctChanges_KeepsTwentyCountsAll()
    {
        var gate = new WriteGate();
        gate.Pause();

        for (var i = 0; i < 50; i++) gate.Refuses("hub", $"save k{i}");
        var refused = gate.Resume();

        Assert.That(refused.Total, Is.EqualTo(50));
        Assert.That(refused.Items, Has.Count.EqualTo(WriteGate.MaxDistinctRefusals));
    }

    [Test]
    public void Pause_Again_StartsAFreshList()
    {
        var gate = new WriteGate();
        gate.Pause();
        gate.Refuses("hub", "save a");
        gate.Resume();

        gate.Pause();

        Assert.That(gate.Refused.Total, Is.Zero);
    }
}
