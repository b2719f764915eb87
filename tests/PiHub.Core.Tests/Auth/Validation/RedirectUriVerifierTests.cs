using PiHub.Core.Auth;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Tests.Auth.Validation;

public class RedirectUriVerifierTests
{
    private const string ClientId = "http://client.example/";

    /// <summary>A hand-written page reader: answers <see cref="Page"/> and counts reads.</summary>
    private sealed class FakePages(ClientPage page) : IClientPageReader
    {
        public int Reads { get; private set; }

        public ClientPage Page { get; } = page;

        public Task<ClientPage> ReadAsync(Uri clientId, CancellationToken cancellationToken = default)
        {
            Reads++;
            return Task.FromResult(Page);
        }
    }

    [Test]
    public async Task EnsureAllowedAsync_SameOrigin_PageNotRead()
    {
        var pages = new FakePages(ClientPage.Read(200, []));

        await new RedirectUriVerifier(pages).EnsureAllowedAsync(ClientId, "http://client.example/callback");

        Assert.That(pages.Reads, Is.Zero);
    }

    [Test]
    public void EnsureAllowedAsync_OtherHostDeclared_Accepted()
    {
        var pages = new FakePages(ClientPage.Read(200, ["com.example.app://callback", "https://other.example/cb"]));

        Assert.That(() => new RedirectUriVerifier(pages).EnsureAllowedAsync(ClientId, "https://other.example/cb"), Throws.Nothing);
        Assert.That(pages.Reads, Is.EqualTo(1));
    }

    [Test]
    public void EnsureAllowedAsync_OtherHostNotDeclared_SaysWhatTheDeveloperMustAdd()
    {
        var pages = new FakePages(ClientPage.Read(404, ["https://other.example/cb"]));

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            new RedirectUriVerifier(pages).EnsureAllowedAsync(ClientId, "https://evil.example/steal"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidRequest));
        Assert.That(ex.Message, Does.Contain("does not declare it (it answered HTTP 404)")
            .And.Contain("<link rel=\"redirect_uri\" href=\"https://evil.example/steal\">")
            .And.Contain("Link: <https://evil.example/steal>; rel=\"redirect_uri\""));
    }

    [Test]
    public void EnsureAllowedAsync_PageUnreadable_SaysWhy()
    {
        var pages = new FakePages(ClientPage.Failed("it did not answer within 5 s"));

        var ex = Assert.ThrowsAsync<AuthException>(() =>
            new RedirectUriVerifier(pages).EnsureAllowedAsync(ClientId, "https://other.example/cb"));

        Assert.That(ex!.Message, Does.Contain("but it did not answer within 5 s").And.Contain("The client's developer must make http://client.example/ answer"));
    }

    [Test]
    public void EnsureAllowedAsync_NoReader_OtherHostRefusedWithoutReading()
    {
        var ex = Assert.ThrowsAsync<AuthException>(() =>
            new RedirectUriVerifier(null).EnsureAllowedAsync(ClientId, "https://other.example/cb"));

        Assert.That(ex!.Message, Does.Contain("does not read client pages"));
    }

    [Test]
    public void EnsureAllowedAsync_RelativeRedirectUri_RefusedWithoutReading()
    {
        var pages = new FakePages(ClientPage.Read(200, ["/callback"]));

        var ex = Assert.ThrowsAsync<AuthException>(() => new RedirectUriVerifier(pages).EnsureAllowedAsync(ClientId, "/callback"));

        Assert.That(ex!.Message, Does.Contain("is not an absolute URL"));
        Assert.That(pages.Reads, Is.Zero);
    }
}
