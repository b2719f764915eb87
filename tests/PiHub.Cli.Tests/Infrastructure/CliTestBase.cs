namespace PiHub.Cli.Tests.Infrastructure;

/// <summary>
/// Runs a fixture's tests once with the service running and once stopped: each test starts from a running hub
/// with an owner, arranges what it needs, then <see cref="EnterModeAsync"/> before calling pihub-cli.
/// </summary>
[TestFixture(HubMode.Running)]
[TestFixture(HubMode.Stopped)]
public abstract class CliTestBase(HubMode mode)
{
    protected HubMode Mode { get; } = mode;

    protected CliHub Hub { get; private set; } = null!;

    /// <summary>More pihub.yaml sections for this fixture's hub (none: the hub on its real hardware, nothing simulated).</summary>
    protected virtual string ExtraConfig => "";

    [SetUp]
    public async Task StartHubAsync() => Hub = await CliHub.StartWithOwnerAsync(ExtraConfig);

    [TearDown]
    public async Task StopHubAsync() => await Hub.DisposeAsync();

    /// <summary>Puts the hub in this fixture's mode.</summary>
    protected Task EnterModeAsync() => Hub.EnterAsync(Mode);

    /// <summary>Starts the hub again (if stopped) to check an effect over HTTP.</summary>
    protected Task RunningAsync() => Hub.StartAsync();

    protected static void AssertOk(CliRun run) => Assert.That(run.ExitCode, Is.Zero, run.ToString);
}
