namespace PiHub.Core.Auth.Validation;

/// <summary>What the hub learned from a client's <c>client_id</c> page.</summary>
/// <param name="RedirectUris">
/// The redirect URIs the page declares, relative ones resolved against the page's address; empty when it declares none
/// or could not be read.
/// </param>
/// <param name="StatusCode">The page's HTTP status, when it answered.</param>
/// <param name="Failure">
/// Why the page could not be read, as the end of a sentence ("it did not answer within 5 s"); null when it was read.
/// </param>
/// <param name="Refused">
/// True when the hub did not even try: the page's address is one it never connects to (loopback, link-local, the LAN
/// unless allowed), so no change on the client's side makes the page readable.
/// </param>
public sealed record ClientPage(IReadOnlyList<string> RedirectUris, int? StatusCode, string? Failure, bool Refused = false)
{
    /// <summary>A page that was read (whatever its status), declaring <paramref name="redirectUris"/>.</summary>
    public static ClientPage Read(int statusCode, IReadOnlyList<string> redirectUris) => new(redirectUris, statusCode, null);

    /// <summary>A page that could not be read, for <paramref name="reason"/>.</summary>
    public static ClientPage Failed(string reason) => new([], null, reason);

    /// <summary>A page the hub will not connect to, for <paramref name="reason"/> (its address).</summary>
    public static ClientPage RefusedFor(string reason) => new([], null, reason, Refused: true);
}
