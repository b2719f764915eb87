using System.Net;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Tests.Auth;

/// <summary>A second provider type plugs in through the base class alone (as trusted_networks does).</summary>
public class AuthProviderSeamTests
{
    private const string Network = "192.168.1.0/24";

    [Test]
    public async Task GetProviders_NetworkProvider_OfferedOnlyInsideItsNetwork()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        using var manager = WithNetworkProvider(ctx);

        var inside = manager.GetProviders(AuthTestContext.Lan).Select(p => p.Type);
        var outside = manager.GetProviders(IPAddress.Parse("203.0.113.9")).Select(p => p.Type);

        Assert.That(inside, Is.EqualTo(new[] { "homeassistant", "test_network" }));
        Assert.That(outside, Is.EqualTo(new[] { "homeassistant" }));
    }

    [Test]
    public async Task RefreshAccessTokenAsync_TokenFromNetworkLogin_RefusedOutsideTheNetwork()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        using var manager = WithNetworkProvider(ctx);

        var flow = await manager.Flows.StartAsync(AuthTestContext.ClientId, "test_network", null, null, AuthTestContext.Lan);
        Assert.That(flow.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry), "bypass logs in at the first step");
        var grant = await manager.Tokens.ExchangeAuthCodeAsync(AuthTestContext.ClientId, flow.Result, AuthTestContext.Lan);
        var inside = await manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId, grant.RefreshToken, AuthTestContext.Lan);
        var ex = Assert.ThrowsAsync<AuthException>(() => manager.Tokens.RefreshAccessTokenAsync(AuthTestContext.ClientId,
            grant.RefreshToken, IPAddress.Parse("10.0.0.5")));

        Assert.That(inside.AccessToken, Is.Not.Empty);
        Assert.That(ctx.Store.Current.RefreshTokens[grant.RefreshTokenId].TrustedNetwork, Is.EqualTo(Network));
        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.AccessDenied));
        Assert.That(ex.Message, Does.Contain("trusted network"));
    }

    [Test]
    public async Task StartAsync_NetworkProviderFromOutside_NotFound()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        using var manager = WithNetworkProvider(ctx);

        var ex = Assert.ThrowsAsync<AuthException>(() => manager.Flows.StartAsync(AuthTestContext.ClientId,
            "test_network", null, null, IPAddress.Parse("203.0.113.9")));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
    }

    private static AuthManager WithNetworkProvider(AuthTestContext ctx) =>
        new(ctx.Store, ctx.Hasher, ctx.Codec,
            new AuthProviderRegistry([new HomeAssistantAuthProvider(ctx.Hasher), new NetworkProvider(ctx.OwnerId)]),
            ctx.Time, new AuthOptions());

    /// <summary>Logs the one configured user in directly from inside <see cref="Network"/>.</summary>
    private sealed class NetworkProvider(string userId) : AuthProvider
    {
        public override string Type => "test_network";

        public override string Name => "Test network";

        public override bool IsAvailableTo(IPAddress? clientAddress) => NetworkLocality.IsInNetwork(clientAddress, Network);

        public override ValueTask<LoginStepOutcome> StartAsync(LoginFlowContext context, AuthData data,
            CancellationToken cancellationToken) =>
            ValueTask.FromResult(LoginStepOutcome.Authenticated(userId, null, trustedNetwork: Network));

        public override ValueTask<LoginStepOutcome> HandleStepAsync(LoginFlowContext context, string stepId,
            IReadOnlyDictionary<string, string> input, AuthData data, CancellationToken cancellationToken) =>
            ValueTask.FromResult(LoginStepOutcome.Abort("not_expected"));
    }
}
