using PiHub.Core.Auth;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Tests.Regressions;

/// <summary>
/// A client page on an address the hub never connects to (loopback, link-local, the LAN unless allowed) was reported as
/// "the hub read that page …, but its address … is a loopback address", followed by "the client's developer must make it
/// answer the hub within 5 s" and "the hub tries the page again after a minute": three untrue sentences, since the hub
/// did not read it and never will. The refusal now says the page cannot be read and what the client can do instead.
/// </summary>
public class RefusedClientPage_SaidItWasReadTests
{
    private sealed class RefusingPages : IClientPageReader
    {
        public Task<ClientPage> ReadAsync(Uri clientId, CancellationToken cancellationToken = default) =>
            Task.FromResult(ClientPage.RefusedFor("its address 127.0.0.1 is a loopback address (this machine), which the hub never connects to for a client page"));
    }

    [Test]
    public void EnsureAllowedAsync_PageAddressRefused_SaysItCannotBeReadNotToRetry()
    {
        var verifier = new RedirectUriVerifier(new RefusingPages());

        var ex = Assert.ThrowsAsync<AuthException>(() => verifier.EnsureAllowedAsync("http://127.0.0.1:8080/", "http://127.0.0.9:9/elsewhere"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
        Assert.That(ex.Message, Does.Contain("cannot read that page").And.Contain("loopback address"));
        Assert.That(ex.Message, Does.Contain("use a redirect_uri on the client_id's own scheme, host and port"));
        Assert.That(ex.Message, Does.Not.Contain("read that page for a <link rel=\"redirect_uri\"> declaring it, but"));
        Assert.That(ex.Message, Does.Not.Contain("within 5 s").And.Not.Contain("again after a minute"));
    }
}
