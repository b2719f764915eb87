using Microsoft.Extensions.Logging.Abstractions;

namespace PiHub.Storage.Tests.Support;

/// <summary>Opens stores in a test folder with maintenance under the test's control.</summary>
internal static class StoreFactory
{
    public static AuthStoreOptions Options(string dir, bool background = false) => new()
    {
        Directory = dir,
        BackgroundMaintenance = background,
        SnapshotMinInterval = TimeSpan.FromMilliseconds(200),
    };

    public static LiteAuthStore Open(string dir, TimeProvider? time = null) =>
        LiteAuthStore.Open(Options(dir), NullLogger.Instance, time ?? TimeProvider.System);

    public static LiteAuthStore Open(AuthStoreOptions options, TimeProvider? time = null) =>
        LiteAuthStore.Open(options, NullLogger.Instance, time ?? TimeProvider.System);
}
