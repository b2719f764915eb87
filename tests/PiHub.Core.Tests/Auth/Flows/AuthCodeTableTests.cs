using System.Net;
using PiHub.Core.Auth.Flows;

namespace PiHub.Core.Tests.Auth.Flows;

/// <summary>The unexchanged auth codes' budgets: per address, per user, hub-wide (issue 24, item 5).</summary>
public class AuthCodeTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = Now + TimeSpan.FromMinutes(10);
    private int _ids;

    private string Add(AuthCodeTable table, string address, string user, DateTimeOffset? expires = null)
    {
        var code = $"code-{++_ids}";
        table.Add(code, new PendingAuthCode("http://pihub.local/", user, null, "homeassistant", null), IPAddress.Parse(address), expires ?? Expires, Now);
        return code;
    }

    private static bool Live(AuthCodeTable table, string code) => table.TryTake(code, Now, out _);

    [Test]
    public void Add_BeyondTheAddressBudget_DropsThatAddressesOldestOnly()
    {
        var table = new AuthCodeTable(capacity: 100, perClient: 3, perUser: 100);
        var hoard = Enumerable.Range(0, 3).Select(_ => Add(table, "192.168.1.66", "mallory")).ToList();
        var neighbour = Add(table, "192.168.1.20", "owner");

        var fourth = Add(table, "192.168.1.66", "mallory");

        Assert.That(Live(table, hoard[0]), Is.False, "the oldest of that address went");
        Assert.That(Live(table, hoard[1]), Is.True);
        Assert.That(Live(table, fourth), Is.True);
        Assert.That(Live(table, neighbour), Is.True, "another address's code stays");
    }

    [Test]
    public void Add_BeyondTheUserBudgetFromManyAddresses_DropsThatUsersOldestOnly()
    {
        var table = new AuthCodeTable(capacity: 100, perClient: 100, perUser: 3);
        var hoard = Enumerable.Range(0, 3).Select(i => Add(table, $"192.168.1.{60 + i}", "mallory")).ToList();
        var owner = Add(table, "192.168.1.66", "owner");

        var fourth = Add(table, "192.168.1.70", "mallory");

        Assert.That(Live(table, hoard[0]), Is.False);
        Assert.That(Live(table, fourth), Is.True);
        Assert.That(Live(table, owner), Is.True, "another user's code stays");
    }

    [Test]
    public void Add_TableFull_DropsTheOldestOfTheAddressHoldingTheMost_NeverRefuses()
    {
        var table = new AuthCodeTable(capacity: 5, perClient: 4, perUser: 100);
        var hoard = Enumerable.Range(0, 4).Select(_ => Add(table, "192.168.1.66", "mallory")).ToList();
        var neighbour = Add(table, "192.168.1.21", "alice");

        var owner = Add(table, "192.168.1.20", "owner");

        Assert.That(Live(table, owner), Is.True);
        Assert.That(Live(table, hoard[0]), Is.False);
        Assert.That(Live(table, hoard[1]), Is.True);
        Assert.That(Live(table, neighbour), Is.True);
    }

    [Test]
    public void TryTake_SingleUseAndExpired_NotReturned()
    {
        var table = new AuthCodeTable(capacity: 10, perClient: 10, perUser: 10);
        var code = Add(table, "192.168.1.20", "owner");
        var stale = Add(table, "192.168.1.20", "owner", expires: Now);

        Assert.That(table.TryTake(code, Now, out var pending), Is.True);
        Assert.That(pending!.UserId, Is.EqualTo("owner"));
        Assert.That(table.TryTake(code, Now, out _), Is.False, "spent");
        Assert.That(table.TryTake(stale, Now, out _), Is.False, "expired");
    }
}
