using System.Net;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Providers;

namespace PiHub.Core.Tests.Auth.Flows;

public class LoginFlowTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly AuthProvider Provider = new HomeAssistantAuthProvider(new PasswordHasher(iterations: 1_000));
    private int _ids;

    private PendingFlow Flow(string address, TimeSpan? lifetime = null) => new(
        new LoginFlowContext($"flow-{++_ids}", "http://pihub.local/", null, IPAddress.Parse(address)),
        Provider, "init", Now + (lifetime ?? TimeSpan.FromMinutes(10)));

    [Test]
    public void Add_BeyondTheClientsBound_DropsThatClientsOldestAndSaysSo()
    {
        var table = new LoginFlowTable(capacity: 100, perClient: 3);
        var flows = Enumerable.Range(0, 3).Select(_ => Flow("192.168.1.66")).ToList();
        var added = flows.Select(f => table.Add(f, Now)).ToList();
        var neighbour = Flow("192.168.1.20");
        table.Add(neighbour, Now);

        var fourth = table.Add(Flow("192.168.1.66"), Now);

        Assert.That(added, Is.All.True);
        Assert.That(fourth, Is.False);
        Assert.That(table.TryGet(flows[0].Context.FlowId, Now, out _), Is.False, "the oldest of that client went");
        Assert.That(table.TryGet(flows[1].Context.FlowId, Now, out _), Is.True);
        Assert.That(table.TryGet(neighbour.Context.FlowId, Now, out _), Is.True, "another client's flow stays");
    }

    [Test]
    public void Add_TableFull_DropsTheOldestOfTheClientHoldingTheMost()
    {
        var table = new LoginFlowTable(capacity: 5, perClient: 4);
        var attacker = Enumerable.Range(0, 4).Select(_ => Flow("192.168.1.66")).ToList();
        foreach (var f in attacker) table.Add(f, Now);
        var neighbour = Flow("192.168.1.21");
        table.Add(neighbour, Now);

        var owner = Flow("192.168.1.20");
        var ownerAdded = table.Add(owner, Now);

        Assert.That(ownerAdded, Is.True, "the owner is within its own bound");
        Assert.That(table.TryGet(owner.Context.FlowId, Now, out _), Is.True);
        Assert.That(table.TryGet(attacker[0].Context.FlowId, Now, out _), Is.False);
        Assert.That(table.TryGet(neighbour.Context.FlowId, Now, out _), Is.True);
    }

    [Test]
    public void Add_ExpiredFlowsOfTheClient_DoNotCountTowardsItsBound()
    {
        var table = new LoginFlowTable(capacity: 100, perClient: 2);
        table.Add(Flow("192.168.1.66", TimeSpan.FromMinutes(1)), Now);
        table.Add(Flow("192.168.1.66", TimeSpan.FromMinutes(1)), Now);

        var later = table.Add(Flow("192.168.1.66"), Now + TimeSpan.FromMinutes(2));

        Assert.That(later, Is.True);
    }

    [Test]
    public void Add_Ipv6_OneBoundPerSlash64()
    {
        var table = new LoginFlowTable(capacity: 100, perClient: 2);
        var first = Flow("2001:db8:0:1::1");
        table.Add(first, Now);
        table.Add(Flow("2001:db8:0:1::2"), Now);
        var otherNetwork = Flow("2001:db8:0:2::1");
        table.Add(otherNetwork, Now);

        var third = table.Add(Flow("2001:db8:0:1:ffff::3"), Now);

        Assert.That(third, Is.False);
        Assert.That(table.TryGet(first.Context.FlowId, Now, out _), Is.False);
        Assert.That(table.TryGet(otherNetwork.Context.FlowId, Now, out _), Is.True);
    }

    [Test]
    public void Remove_LastFlowOfAClient_ClientStartsAfreshWithinItsBound()
    {
        var table = new LoginFlowTable(capacity: 100, perClient: 1);
        var flow = Flow("192.168.1.66");
        table.Add(flow, Now);
        table.Remove(flow.Context.FlowId);

        var again = table.Add(Flow("192.168.1.66"), Now);

        Assert.That(again, Is.True);
    }
}
