using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Model;
using PiHub.Testing;
using PiHub.Testing.Auth;

namespace PiHub.Core.Tests.Auth.Bans;

public class BanManagerTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("192.168.1.66");
    private FakeTimeProvider _time = null!;
    private InMemoryAuthStore _store = null!;
    private BanManager _bans = null!;
    private List<IpBan> _notified = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        _store = new InMemoryAuthStore();
        _bans = new BanManager(_store, new BanOptions(), _time, NullLogger<BanManager>.Instance);
        _notified = [];
        _bans.Banned += b =>
        {
            _notified.Add(b);
            return Task.CompletedTask;
        };
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    private async Task FailAsync(IPAddress address, int times)
    {
        for (var i = 0; i < times; i++) await _bans.RecordFailureAsync(address, "invalid password");
    }

    [Test]
    public async Task RecordFailure_FiveInTenMinutes_Bans15MinutesAndNotifiesOnce()
    {
        await FailAsync(Attacker, 4);
        Assert.That(_bans.IsBanned(Attacker, out _), Is.False);

        await FailAsync(Attacker, 1);

        Assert.That(_bans.IsBanned(Attacker, out var ban), Is.True);
        Assert.That(ban.BannedUntil, Is.EqualTo(_time.GetUtcNow() + TimeSpan.FromMinutes(15)));
        Assert.That(_notified, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RecordFailure_FiveIPv6AddressesOfOneSlash64_BansTheWholeSlash64()
    {
        // Issue 9: one IPv6 host owns a /64; counted per address it could take a fresh address every five guesses.
        for (var i = 1; i <= 5; i++) await FailAsync(IPAddress.Parse($"2001:db8:1:2::{i:x}"), 1);

        Assert.That(_bans.IsBanned(IPAddress.Parse("2001:db8:1:2:ffff::99"), out var ban), Is.True);
        Assert.That(ban.Id, Is.EqualTo("2001:db8:1:2::/64"));
        Assert.That(_bans.IsBanned(IPAddress.Parse("2001:db8:1:3::1"), out _), Is.False, "the next /64 is someone else");
        Assert.That(await _bans.LiftAsync("2001:db8:1:2::7"), Is.True, "lifting by any address of the /64 works");
    }

    [Test]
    public async Task RecordFailure_SpreadOverMoreThanWindow_NoBan()
    {
        for (var i = 0; i < 10; i++)
        {
            await FailAsync(Attacker, 1);
            _time.Advance(TimeSpan.FromMinutes(3));
        }

        Assert.That(_bans.IsBanned(Attacker, out _), Is.False);
    }

    [Test]
    public async Task Ban_Expires_ByItself()
    {
        await FailAsync(Attacker, 5);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        Assert.That(_bans.IsBanned(Attacker, out _), Is.False);
    }

    [Test]
    public async Task Ban_Repeated_DoublesUpTo24Hours()
    {
        var lengths = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            await FailAsync(Attacker, 5);
            _bans.IsBanned(Attacker, out var ban);
            lengths.Add(ban.BannedUntil - ban.BannedAt);
            _time.Advance(ban.BannedUntil - _time.GetUtcNow() + TimeSpan.FromSeconds(1));
        }

        Assert.That(lengths.Take(4), Is.EqualTo(new[] { 15, 30, 60, 120 }.Select(m => TimeSpan.FromMinutes(m))));
        Assert.That(lengths[^1], Is.EqualTo(TimeSpan.FromHours(24)));
    }

    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public async Task RecordFailure_AllowlistedAddress_NeverBanned(string address)
    {
        var ip = IPAddress.Parse(address);

        await FailAsync(ip, 50);

        Assert.That(_bans.IsBanned(ip, out _), Is.False);
        Assert.That(_store.Current.Bans, Is.Empty);
    }

    [Test]
    public async Task RecordFailure_OtherLoopbackAddress_CanBeBanned()
    {
        var ip = IPAddress.Parse("127.0.0.2");

        await FailAsync(ip, 5);

        Assert.That(_bans.IsBanned(ip, out _), Is.True);
    }

    [Test]
    public async Task RecordSuccess_ResetsCount()
    {
        await FailAsync(Attacker, 4);
        _bans.RecordSuccess(Attacker);
        await FailAsync(Attacker, 4);

        Assert.That(_bans.IsBanned(Attacker, out _), Is.False);
    }

    [Test]
    public async Task RecordSuccess_ForOneUsername_ForgetsOnlyThatUsernamesFailures()
    {
        for (var i = 0; i < 2; i++) await _bans.RecordFailureAsync(Attacker, "invalid_auth", "Owner");
        for (var i = 0; i < 2; i++) await _bans.RecordFailureAsync(Attacker, "invalid_auth", "mallory");
        _bans.RecordSuccess(Attacker, "mallory");
        for (var i = 0; i < 2; i++) await _bans.RecordFailureAsync(Attacker, "invalid_auth", "owner");
        Assert.That(_bans.IsBanned(Attacker, out _), Is.False, "four failures against owner so far");

        await _bans.RecordFailureAsync(Attacker, "invalid_auth", "owner");

        Assert.That(_bans.IsBanned(Attacker, out _), Is.True, "mallory's login did not forget the guesses at owner");
    }

    [Test]
    public async Task Lift_BannedAddress_UnbannedAtOnceAndPersisted()
    {
        await FailAsync(Attacker, 5);

        Assert.That(await _bans.LiftAsync("192.168.1.66"), Is.True);
        Assert.That(_bans.IsBanned(Attacker, out _), Is.False);
        Assert.That(_store.Current.Bans, Is.Empty);
        Assert.That(await _bans.LiftAsync("192.168.1.66"), Is.False);
    }

    [Test]
    public async Task Ban_IsStoredInAuthStore_SoARestartKeepsIt()
    {
        await FailAsync(Attacker, 5);

        var restarted = new BanManager(_store, new BanOptions(), _time, NullLogger<BanManager>.Instance);

        Assert.That(restarted.IsBanned(Attacker, out _), Is.True);
    }

    [Test]
    public async Task NotificationFails_BanStillApplies()
    {
        _bans.Banned += _ => throw new InvalidOperationException("notification store is full");

        await FailAsync(Attacker, 5);

        Assert.That(_bans.IsBanned(Attacker, out _), Is.True);
    }

    [Test]
    public async Task Describe_SaysWhenAndHowToLift()
    {
        await FailAsync(Attacker, 5);
        _bans.IsBanned(Attacker, out var ban);

        Assert.That(BanManager.Describe(ban), Does.Contain("12:15").And.Contain("pihub/bans/lift").And.Contain("\"192.168.1.66\""));
    }
}
