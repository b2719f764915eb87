namespace PiHub.Core.Auth.Validation;

/// <summary>
/// Reads a client's <c>client_id</c> page for the redirect URIs it declares (IndieAuth: <c>&lt;link rel="redirect_uri"
/// href="…"&gt;</c> tags and <c>Link: &lt;…&gt;; rel="redirect_uri"</c> headers), within
/// <see cref="ClientPageLimits"/>. The server implements it with an HTTP client; without one, no redirect URI off the
/// client's own scheme, host and port is accepted.
/// </summary>
public interface IClientPageReader
{
    /// <summary>
    /// What the page at <paramref name="clientId"/> declares, or why it could not be read. Never throws for a page
    /// that is slow, missing or malformed: those are <see cref="ClientPage.Failure"/>s the caller explains.
    /// </summary>
    Task<ClientPage> ReadAsync(Uri clientId, CancellationToken cancellationToken = default);
}
