using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Admin;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Bans;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Configuration.Auth;
using PiHub.Storage;
using PiHub.Storage.Durability;

namespace PiHub.Cli.Hosting;

/// <summary>
/// The service is stopped: pihub-cli opens the store itself, under the same exclusive lock the service takes,
/// and runs the same <see cref="HubAdmin"/> on it. Reading commands work on a private copy, so looking never
/// changes (or recovers) the real files; changing commands open the store as the service would.
/// </summary>
internal static class DirectAdmin
{
    public static async Task<AdminResult> RunAsync(HubTarget target, AdminRequest request, CliConsole console, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(target.DataDir))
        {
            throw CliFailure.Unavailable(target.DevMode
                ? $"There is no PiHub data in {target.DataDir}: run pihub-cli in the folder where you ran `dotnet run --project src/PiHub.Server`, or pass --config."
                : $"There is no PiHub data in {target.DataDir} (storage.data_dir in {target.ConfigSource}): start PiHub once (`systemctl start pihub`), or fix the path.");
        }

        using var owner = DataOwner.Assume(target.DataDir);
        // Snapshots, backups and the private copy hold secrets: nobody else may read what this run writes.
        PrivateFiles.RestrictNewFiles();
        var options = new AuthStoreOptions { Directory = target.DataDir, SnapshotCount = target.Options.Storage.SnapshotsKeep };
        var readOnly = AdminCommands.ReadOnly.Contains(request.Command);
        StoreCopy? copy = null;
        LiteAuthStore store;
        try
        {
            if (readOnly)
            {
                copy = LiteAuthStore.OpenCopy(options, NullLogger.Instance, TimeProvider.System);
                store = copy.Store;
            }
            else
            {
                store = LiteAuthStore.Open(options, NullLogger.Instance, TimeProvider.System);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw CliFailure.NotPermitted($"You may not open the PiHub data in {target.DataDir}: run pihub-cli as root (sudo pihub-cli …).", ex);
        }

        try
        {
            if (!readOnly && store.Recovery is { } recovery)
            {
                // Opening did what the service's start-up would have done; say so before anything else.
                await console.Error.WriteLineAsync("pihub-cli: the store needed recovery while opening: " + recovery.Describe()).ConfigureAwait(false);
            }

            var hasher = new PasswordHasher();
            using var auth = new AuthManager(store, hasher, new JwtAccessTokenCodec(),
                new AuthProviderRegistry([new HomeAssistantAuthProvider(hasher)]), TimeProvider.System, new AuthOptions());
            var bans = new BanManager(store, new BanOptions(), TimeProvider.System, NullLogger<BanManager>.Instance);
            var admin = new HubAdmin(new AdminContext(auth, bans, store, store.Admin, hasher, CliVersion.Text)
            {
                Power = new StoppedPower(target.Options.Power, target.DevMode),
            });
            return await admin.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (copy is not null) copy.Dispose();
            else store.Dispose();
        }
    }
}
