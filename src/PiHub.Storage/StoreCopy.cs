using Microsoft.Extensions.Logging;
using PiHub.Storage.Auth;

namespace PiHub.Storage;

/// <summary>A private, opened copy of the auth store (see <see cref="LiteAuthStore.OpenCopy"/>); disposing deletes it.</summary>
public sealed class StoreCopy : IDisposable
{
    private readonly string _directory;
    private readonly ILogger _logger;

    internal StoreCopy(LiteAuthStore store, string directory, ILogger logger)
    {
        Store = store;
        _directory = directory;
        _logger = logger;
    }

    /// <summary>The copy, opened and recovered as start-up would; changes to it are thrown away.</summary>
    public LiteAuthStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        StoreCheck.Delete(_directory, _logger);
    }
}
