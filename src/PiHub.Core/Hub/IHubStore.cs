namespace PiHub.Core.Hub;

/// <summary>
/// Persistence for hub data that is not auth: restored helper states, notifications.
/// Kept in its own file so hub churn never touches the auth store.
/// Values are JSON text; every write is durable before the task completes.
/// </summary>
public interface IHubStore : IDisposable
{
    /// <summary>Every key and JSON value of a collection (e.g. <c>restore_state</c>).</summary>
    IReadOnlyDictionary<string, string> LoadAll(string collection);

    Task PutAsync(string collection, string key, string json, CancellationToken cancellationToken = default);

    Task DeleteAsync(string collection, string key, CancellationToken cancellationToken = default);
}
