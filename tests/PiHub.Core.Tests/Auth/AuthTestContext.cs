using System.Net;
using Microsoft.Extensions.Time.Testing;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Providers;
using PiHub.Testing.Auth;

namespace PiHub.Core.Tests.Auth;

/// <summary>An AuthManager (and so all its parts) over an in-memory store, a fake clock and a cheap hasher (cost is not under test here).</summary>
internal sealed class AuthTestContext : IDisposable
{
    public const string ClientId = "http://pihub.local:8123/";
    public const string OwnerPassword = "correct horse battery";
    public static readonly IPAddress Lan = IPAddress.Parse("192.168.1.20");

    public AuthTestContext()
    {
        Hasher = new PasswordHasher(iterations: 1_000);
        Manager = new AuthManager(Store, Hasher, Codec,
            new AuthProviderRegistry([new HomeAssistantAuthProvider(Hasher)]), Time, new AuthOptions());
    }

    public InMemoryAuthStore Store { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public TestAccessTokenCodec Codec { get; } = new();

    public PasswordHasher Hasher { get; }

    public AuthManager Manager { get; }

    public string OwnerId => Store.Current.Owner!.Id;

    public async Task<string> OnboardAsync(string username = "alice")
    {
        await Manager.Users.CreateOwnerAsync(ClientId, "Alice", username, OwnerPassword, "en");
        return OwnerId;
    }

    public async Task<LoginFlowResult> LoginAsync(string username, string password, IPAddress? address = null)
    {
        var flow = await Manager.Flows.StartAsync(ClientId, "homeassistant", null, ClientId, address ?? Lan);
        return await Manager.Flows.ContinueAsync(flow.FlowId, ClientId,
            new Dictionary<string, string> { ["username"] = username, ["password"] = password }, address ?? Lan);
    }

    public async Task<TokenGrant> LoginForTokensAsync(string username = "alice", string password = OwnerPassword)
    {
        var result = await LoginAsync(username, password);
        Assert.That(result.Type, Is.EqualTo(LoginFlowResultTypes.CreateEntry), "login should succeed");
        return await Manager.Tokens.ExchangeAuthCodeAsync(ClientId, result.Result, Lan);
    }

    public async Task<string> CreateUserWithPasswordAsync(string name, string username, string password,
        IReadOnlyList<string>? groups = null)
    {
        var user = await Manager.Users.CreateAsync(OwnerId, name, groups);
        await Manager.Passwords.CreateCredentialAsync(OwnerId, user.Id, username, password);
        return user.Id;
    }

    public void Dispose() => Manager.Dispose();
}
