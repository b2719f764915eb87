using System.Net;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.TrustedNetworks;

namespace PiHub.Core.Tests.Auth;

/// <summary>The trusted_networks provider and its network table, without HTTP.</summary>
public class TrustedNetworksAuthProviderTests
{
    private static readonly IPAddress Kitchen = IPAddress.Parse("192.168.1.20");
    private static readonly IPAddress Tablet = IPAddress.Parse("192.168.1.50");

    private static TrustedNetworkTable Table(params TrustedNetwork[] networks) => new(networks);

    private static TrustedNetwork Network(string cidr, string[]? users, bool bypass = false, bool skipMfa = false, bool api = false) =>
        new(IPNetwork.Parse(cidr), users, bypass, skipMfa, api);

    private static LoginFlowContext Context(IPAddress address) => new("flow", AuthTestContext.ClientId, null, address);

    [Test]
    public void Match_NestedNetworks_MostSpecificWins_MappedAddressesUnmapped()
    {
        var lan = Network("192.168.1.0/24", ["alice"]);
        var tablet = Network("192.168.1.50/32", ["kid"], api: true);
        var table = Table(lan, tablet);

        Assert.That(table.Match(Tablet), Is.SameAs(tablet));
        Assert.That(table.Match(Tablet.MapToIPv6()), Is.SameAs(tablet));
        Assert.That(table.Match(Kitchen), Is.SameAs(lan));
        Assert.That(table.Match(IPAddress.Parse("10.0.0.1")), Is.Null);
        Assert.That(table.Match(null), Is.Null);
    }

    [Test]
    public async Task StartAsync_SkipMfaNetwork_SetsTheFlowFlag()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var provider = new TrustedNetworksAuthProvider(Table(Network("192.168.1.0/24", ["alice"], skipMfa: true)));
        var context = Context(Kitchen);

        var outcome = await provider.StartAsync(context, ctx.Store.Current, CancellationToken.None);

        Assert.That(outcome.Kind, Is.EqualTo(LoginStepKind.Form));
        Assert.That(context.SkipMfa, Is.True);
    }

    [Test]
    public async Task StartAsync_PlainNetwork_LeavesSkipMfaOff()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var provider = new TrustedNetworksAuthProvider(Table(Network("192.168.1.0/24", ["alice"])));
        var context = Context(Kitchen);

        await provider.StartAsync(context, ctx.Store.Current, CancellationToken.None);

        Assert.That(context.SkipMfa, Is.False);
    }

    [Test]
    public async Task StartAsync_UsersAll_SystemGeneratedAndInactiveUsersNotOffered()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        await ctx.Store.CommitAsync(new AuthChangeSet("test users")
            .Put(new User { Id = "system", Name = "Supervisor", SystemGenerated = true })
            .Put(new User { Id = "inactive", Name = "Former", IsActive = false }));
        var provider = new TrustedNetworksAuthProvider(Table(Network("192.168.1.0/24", null)));

        var outcome = await provider.StartAsync(Context(Kitchen), ctx.Store.Current, CancellationToken.None);

        Assert.That(outcome.Schema.Single().Options!.Select(o => o.Key), Is.EqualTo(new[] { owner }));
    }

    [Test]
    public async Task StartAsync_BypassOneUser_AuthenticatedWithTheNetworkRecorded()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var provider = new TrustedNetworksAuthProvider(Table(Network("192.168.1.0/24", ["ALICE"], bypass: true)));

        var outcome = await provider.StartAsync(Context(Kitchen), ctx.Store.Current, CancellationToken.None);

        Assert.That(outcome.Kind, Is.EqualTo(LoginStepKind.Authenticated));
        Assert.That(outcome.UserId, Is.EqualTo(owner));
        Assert.That(outcome.TrustedNetwork, Is.EqualTo("192.168.1.0/24"));
    }

    [Test]
    public async Task StartAsync_NoAllowedUserExists_AbortsNoAllowedUsers()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var provider = new TrustedNetworksAuthProvider(Table(Network("192.168.1.0/24", ["nobody"])));

        var outcome = await provider.StartAsync(Context(Kitchen), ctx.Store.Current, CancellationToken.None);

        Assert.That(outcome.Kind, Is.EqualTo(LoginStepKind.Abort));
        Assert.That(outcome.Reason, Is.EqualTo("no_allowed_users"));
    }

    [Test]
    public async Task TryResolveApiUser_OnlyOptedInNetworkAndActiveNamedUser()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var table = Table(Network("192.168.1.50/32", ["alice"], api: true), Network("192.168.1.0/24", ["alice"]));

        var tablet = table.TryResolveApiUser(ctx.Store.Current, Tablet, out _, out var user);
        var kitchen = table.TryResolveApiUser(ctx.Store.Current, Kitchen, out var kitchenNetwork, out _);

        Assert.That(tablet, Is.True);
        Assert.That(user!.Id, Is.EqualTo(owner));
        Assert.That(kitchen, Is.False);
        Assert.That(kitchenNetwork!.Cidr, Is.EqualTo("192.168.1.0/24"));
    }
}
