namespace PiHub.Core.Power;

/// <summary>
/// One store's "make it safe now" step for a power failure: wait for the commit in progress,
/// move the log into the data file and flush it to the medium. The recorder adds its own.
/// </summary>
/// <param name="Name">Short store name for logs ("auth", "hub").</param>
/// <param name="FlushAsync">Checkpoints and flushes; completes once the data is on the medium.</param>
public sealed record StoreFlush(string Name, Func<CancellationToken, Task> FlushAsync);
