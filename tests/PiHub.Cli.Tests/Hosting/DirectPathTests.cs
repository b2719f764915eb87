using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Cli.Hosting;
using PiHub.Cli.Tests.Infrastructure;
using PiHub.Core.Auth.Storage;
using PiHub.Server.Hosting;
using PiHub.Storage;
using PiHub.Testing;

namespace PiHub.Cli.Tests.Hosting;

/// <summary>pihub-cli on the store files while the service is stopped: one writer at a time, nothing changed by looking.</summary>
public sealed class DirectPathTests
{
    private CliHub _hub = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _hub = await CliHub.StartWithOwnerAsync();
        await _hub.StopAsync();
    }

    [TearDown]
    public async Task StopAsync() => await _hub.DisposeAsync();

    [Test]
    public async Task ReadingCommands_ServiceStopped_LeaveTheStoreFilesAsTheyWere()
    {
        var before = Fingerprint();

        foreach (var command in new[] { "status", "users list", "owner show", "tokens list", "bans list", "onboarding status", "db check", "db snapshots" })
        {
            var run = await _hub.CliAsync(command.Split(' '));
            Assert.That(run.ExitCode, Is.Zero, run.ToString);
        }

        Assert.That(Fingerprint(), Is.EqualTo(before));
    }

    [Test]
    public async Task ServiceStartsWhileCliWrites_ServiceFailsCleanlyNamingTheHolder()
    {
        // What pihub-cli holds while it changes the store with the service stopped.
        using var cli = LiteAuthStore.Open(new AuthStoreOptions { Directory = _hub.DataDir }, NullLogger.Instance, TimeProvider.System);

        var ex = Assert.Throws<AuthStoreException>(() => PiHubApplication.Build(["--config", _hub.ConfigFile]));

        Assert.That(ex!.Error, Is.EqualTo(AuthStoreError.Locked));
        Assert.That(ex.Message, Does.Contain("is in use").And.Contain($"process {Environment.ProcessId}").And.Contain("pihub-cli status"));
    }

    [Test]
    public async Task StoreHeldButNoSocket_CliWaitsThenUnavailable4()
    {
        using var holder = LiteAuthStore.Open(new AuthStoreOptions { Directory = _hub.DataDir }, NullLogger.Instance, TimeProvider.System);

        var run = await _hub.CliAsync("users", "list");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unavailable), run.ToString);
        Assert.That(run.Error, Does.Contain("is in use").And.Contain("did not answer within"));
    }

    [Test]
    public async Task NoDataFolder_Unavailable4NamingTheSetting()
    {
        Directory.Delete(_hub.DataDir, recursive: true);

        var run = await _hub.CliAsync("users", "list");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Unavailable), run.ToString);
        Assert.That(run.Error, Does.Contain("There is no PiHub data in").And.Contain("storage.data_dir"));
    }

    [Test]
    public async Task AsRoot_DataOwnedByServiceUser_EveryFileStaysTheServiceUsers()
    {
        if (Environment.UserName != "root") Assert.Ignore("Needs root: it checks that root's pihub-cli leaves the service user's files theirs.");
        const uint service = 65534; // nobody: stands in for the pihub user
        Chown(_hub.Root, service);

        var run = await _hub.CliWithInputAsync("a new password 1\n", "users", "passwd", "owner", "--password-stdin");

        Assert.That(run.ExitCode, Is.Zero, run.ToString);
        var foreign = Directory.EnumerateFileSystemEntries(_hub.DataDir, "*", SearchOption.AllDirectories)
            .Where(p => !DataOwner.TryGetOwner(p, out var uid, out _) || uid != service).ToList();
        Assert.That(foreign, Is.Empty, "files root's pihub-cli left owned by someone else");
        await _hub.StartAsync();
        Assert.That((await _hub.LoginAsync("owner", "a new password 1"))["access_token"], Is.Not.Null);
    }

    private string Fingerprint() => string.Join("\n", Directory.EnumerateFiles(_hub.DataDir, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(p => $"{Path.GetRelativePath(_hub.DataDir, p)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}"));

    private static void Chown(string root, uint uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-R", $"{uid}:{uid}", root]);
        chown.WaitForExit();
        Assert.That(chown.ExitCode, Is.Zero);
    }
}
