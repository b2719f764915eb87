namespace PiHub.Server.Tests.Infrastructure;

/// <summary>How long the hub of an <see cref="OnboardedHubTests"/> fixture lives.</summary>
public enum HubLifetime
{
    /// <summary>A fresh hub for every test: for tests that ban, enrol, revoke or move the clock.</summary>
    PerTest,

    /// <summary>One hub for the whole fixture: for tests that only read, or add things no other test looks at.</summary>
    PerFixture,
}

/// <summary>
/// Base class of fixtures that test a hub with an onboarded owner: starts a <see cref="TestHub"/>, onboards
/// the owner ("owner", <see cref="PiHub.Testing.HubApi.OwnerPassword"/>) and stops the hub afterwards.
/// Override <see cref="Settings"/> and <see cref="CreateClock"/> to shape the hub and
/// <see cref="OnHubStartedAsync"/> for fixture-specific set-up (users, tokens).
/// </summary>
public abstract class OnboardedHubTests(HubLifetime lifetime = HubLifetime.PerTest)
{
    private TestHub? _hub;
    private HttpClient? _owner;

    /// <summary>The running hub.</summary>
    protected TestHub Hub => _hub ?? throw new InvalidOperationException("The hub is not running: it starts in set-up.");

    /// <summary>An HTTP client with the owner's access token (<see cref="TestHub.AccessToken"/>).</summary>
    protected HttpClient Owner => _owner ?? throw new InvalidOperationException("The hub is not running: it starts in set-up.");

    /// <summary>Configuration keys for the hub (see <see cref="HubSettings"/>); none by default.</summary>
    protected virtual Dictionary<string, string?> Settings() => [];

    /// <summary>The hub's clock, created for each hub; null (the system clock) by default.</summary>
    protected virtual TimeProvider? CreateClock() => null;

    /// <summary>Runs after the owner is onboarded, once per hub.</summary>
    protected virtual Task OnHubStartedAsync() => Task.CompletedTask;

    [OneTimeSetUp]
    public async Task StartFixtureHubAsync()
    {
        if (lifetime == HubLifetime.PerFixture) await StartHubAsync();
    }

    [SetUp]
    public async Task StartTestHubAsync()
    {
        if (lifetime == HubLifetime.PerTest) await StartHubAsync();
    }

    [TearDown]
    public async Task StopTestHubAsync()
    {
        if (lifetime == HubLifetime.PerTest) await StopHubAsync();
    }

    [OneTimeTearDown]
    public async Task StopFixtureHubAsync()
    {
        if (lifetime == HubLifetime.PerFixture) await StopHubAsync();
    }

    private async Task StartHubAsync()
    {
        _hub = await TestHub.StartAsync(Settings(), time: CreateClock());
        try
        {
            _owner = await _hub.OnboardAsync();
            await OnHubStartedAsync();
        }
        catch
        {
            // NUnit skips the tear-down of a failed set-up: stop the hub here.
            await StopHubAsync();
            throw;
        }
    }

    private async Task StopHubAsync()
    {
        _owner?.Dispose();
        _owner = null;
        if (_hub is not null) await _hub.DisposeAsync();
        _hub = null;
    }
}
