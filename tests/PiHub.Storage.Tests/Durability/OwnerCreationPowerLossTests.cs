using PiHub.Core.Auth.Storage;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Durability;

/// <summary>
/// The user thread's scenario: power fails while the owner is being created. At every
/// operation of that transaction: either no owner and onboarding open, or the complete owner;
/// never onboarding marked done without an owner.
/// </summary>
public sealed class OwnerCreationPowerLossTests
{
    [Test]
    public void PowerCut_AtEveryWriteOfOwnerCreation_NoOwnerOrCompleteOwner([Values] CutModel model, [Values(1, 2, 3)] int seed)
    {
        var run = RecordedRun.Record(durable: true, [_ => AuthSamples.CreateOwner()], checkpointEvery: int.MaxValue);
        var random = new Random(seed);
        var outcomes = new HashSet<string>();

        for (var cut = run.StartOp; cut <= run.EndOp; cut++)
        {
            var data = run.Open(cut, model, random);
            Assert.That(AuthInvariants.Check(data), Is.Empty, $"cut {cut}");
            if (data.Generation == 0)
            {
                Assert.That(data.Owner, Is.Null);
                Assert.That(data.Onboarding.UserDone, Is.False, $"cut {cut}: onboarding done without owner");
                outcomes.Add("no owner");
            }
            else
            {
                Assert.That(data.Owner?.Name, Is.EqualTo("Alice"), $"cut {cut}");
                Assert.That(data.Credentials.Values.Single().UserId, Is.EqualTo(data.Owner!.Id));
                Assert.That(data.Onboarding.UserDone, Is.True);
                outcomes.Add("owner");
            }
        }

        Assert.That(outcomes, Is.EquivalentTo(new[] { "no owner", "owner" }));
    }
}
