using System.Net;
using System.Text.RegularExpressions;

namespace PiHub.Core.Auth.Validation;

/// <summary>
/// Home Assistant's <c>verify_redirect_uri</c>: a redirect URI on the client's own scheme, host and port, or a known
/// app's callback, is accepted at once; any other only if the client's page (its <c>client_id</c> URL) declares it
/// (IndieAuth 4.2.2), compared exactly. Refusals say what the client's developer must add.
/// </summary>
public sealed partial class RedirectUriVerifier
{
    private readonly IClientPageReader? _pages;
    private readonly ClientPageBudget _budget = new();

    /// <summary>Creates the verifier; without <paramref name="pages"/> only same-origin URIs and app callbacks pass.</summary>
    public RedirectUriVerifier(IClientPageReader? pages) => _pages = pages;

    /// <summary>
    /// Throws <see cref="AuthException"/> (<c>invalid_request</c>) unless <paramref name="redirectUri"/> may receive codes for
    /// <paramref name="clientId"/>, or <c>too_many_requests</c> when <paramref name="clientAddress"/> already has
    /// <see cref="ClientPageBudget.MaxReadsInFlight"/> client pages being read.
    /// </summary>
    public async Task EnsureAllowedAsync(string clientId, string redirectUri, IPAddress? clientAddress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(redirectUri);
        if (ClientIdRules.IsValidRedirectUri(clientId, redirectUri)) return;
        if (!HasScheme().IsMatch(redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                $"Invalid redirect_uri: \"{redirectUri}\" is not an absolute URL. Send the full address codes go back to, " +
                $"e.g. \"{clientId.TrimEnd('/')}/callback\".");
        }

        if (_pages is null)
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                $"Invalid redirect_uri: {redirectUri} is not on the scheme, host and port of the client_id {clientId}, and this " +
                "hub does not read client pages for declared redirect URIs. Use a redirect_uri on the client_id's own scheme, host and port.");
        }

        var key = ClientBudgetKey.Of(clientAddress);
        if (!_budget.TryEnter(key))
        {
            throw new AuthException(AuthErrorCodes.TooManyRequests,
                $"Too many client pages are being read for {key} at once: {redirectUri} is not on the scheme, host and port of " +
                $"the client_id {clientId}, so the hub must read that page, and each address may have {ClientPageBudget.MaxReadsInFlight} " +
                $"such reads running (each can take up to {ClientPageLimits.Timeout.TotalSeconds:0} s). Try again in a few seconds.");
        }

        ClientPage page;
        try
        {
            // Not the caller's token: a read goes on after its caller gives up, so the slot is held until the read ends.
            // Otherwise dropping each request at once would free its slot and leave its read running.
            page = await _pages.ReadAsync(new Uri(clientId), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _budget.Exit(key);
        }

        if (page is { Refused: true, Failure: { } refusal })
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                $"Invalid redirect_uri: {redirectUri} is not on the scheme, host and port of the client_id {clientId}, and the " +
                $"hub cannot read that page for a <link rel=\"redirect_uri\"> declaring it: {refusal}. The client must use a " +
                "redirect_uri on the client_id's own scheme, host and port.");
        }

        if (page.Failure is not null)
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                $"Invalid redirect_uri: {redirectUri} is not on the scheme, host and port of the client_id {clientId}, so the hub " +
                $"read that page for a <link rel=\"redirect_uri\"> declaring it, but {page.Failure}. The client's developer must " +
                $"make {clientId} answer the hub within {ClientPageLimits.Timeout.TotalSeconds:0} s with that tag, or use a redirect_uri " +
                "on the client_id's own scheme, host and port. The hub tries the page again after a minute.");
        }

        if (page.RedirectUris.Contains(redirectUri, StringComparer.Ordinal)
            || page.RedirectUris.Contains(redirect.AbsoluteUri, StringComparer.Ordinal))
        {
            return;
        }

        var status = page.StatusCode is >= 200 and < 300 ? "" : $" (it answered HTTP {page.StatusCode})";
        throw new AuthException(AuthErrorCodes.InvalidRequest,
            $"Invalid redirect_uri: {redirectUri} is not on the scheme, host and port of the client_id {clientId}, and the page " +
            $"at {clientId} does not declare it{status}. The client's developer must add <link rel=\"redirect_uri\" href=\"{redirectUri}\"> " +
            $"within the page's first {ClientPageLimits.MaxBytes / 1024} KB, or send the header Link: <{redirectUri}>; rel=\"redirect_uri\" " +
            "with it. The hub reads the page again after a minute.");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex HasScheme();
}
