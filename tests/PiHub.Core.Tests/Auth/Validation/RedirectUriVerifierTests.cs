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

    /// <summary>A page reader whose reads wait until <see cref="Release"/>: reads in flight, as a slow client page makes them.</summary>
    private sealed class SlowPages : IClientPageReader
    {
        private readonly TaskCompletionSource<ClientPage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<ClientPage> ReadAsync(Uri clientId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return _answer.Task.WaitAsync(cancellationToken); // as the real reader: a caller may stop waiting
        }

        public void Release() => _answer.TrySetResult(ClientPage.Read(200, ["https://other.example/cb"]));
    }

    [Test]
    public async Task EnsureAllowedAsync_AddressHasTwoReadsRunning_ThirdRefusedWithoutReadingOthersServed()
    {
        var pages = new SlowPages();
        var verifier = new RedirectUriVerifier(pages);
        var mallory = System.Net.IPAddress.Parse("2001:db8::1");
        var malloryAgain = System.Net.IPAddress.Parse("2001:db8::beef"); // the same /64
        var alice = System.Net.IPAddress.Parse("192.0.2.7");

        var first = verifier.EnsureAllowedAsync("http://a.example/", "https://other.example/cb", mallory);
        var second = verifier.EnsureAllowedAsync("http://b.example/", "https://other.example/cb", malloryAgain);
        var third = verifier.EnsureAllowedAsync("http://c.example/", "https://other.example/cb", mallory);
        var refusedAtOnce = third.IsFaulted;
        var others = verifier.EnsureAllowedAsync("http://d.example/", "https://other.example/cb", alice);
        var readsWhileBusy = pages.Reads;
        pages.Release();
        await Task.WhenAll(first, second, others);
        await verifier.EnsureAllowedAsync("http://e.example/", "https://other.example/cb", mallory);

        Assert.That(refusedAtOnce, Is.True, "the third read of one address is refused without waiting");
        var refused = Assert.ThrowsAsync<AuthException>(() => third);
        Assert.That(refused!.Code, Is.EqualTo(AuthErrorCodes.TooManyRequests));
        Assert.That(refused.Message, Does.Contain("2001:db8::/64").And.Contain("Try again in a few seconds"));
        Assert.That(readsWhileBusy, Is.EqualTo(3), "Mallory's two reads and Alice's; the refused one is never read");
        Assert.That(pages.Reads, Is.EqualTo(4), "once the reads end, the address may read again");
    }

    [Test]
    public async Task EnsureAllowedAsync_CallersGaveUp_ReadsStillCountUntilTheyEnd()
    {
        var pages = new SlowPages();
        var verifier = new RedirectUriVerifier(pages);
        var mallory = System.Net.IPAddress.Parse("192.0.2.66");
        using var dropped = new CancellationTokenSource();

        var first = verifier.EnsureAllowedAsync("http://a.example/", "https://other.example/cb", mallory, dropped.Token);
        var second = verifier.EnsureAllowedAsync("http://b.example/", "https://other.example/cb", mallory, dropped.Token);
        await dropped.CancelAsync();
        var third = verifier.EnsureAllowedAsync("http://c.example/", "https://other.example/cb", mallory);
        var refusedAtOnce = third.IsFaulted;
        pages.Release();
        await Task.WhenAll(first, second);

        Assert.That(refusedAtOnce, Is.True, "two reads are still running although their callers hung up");
        Assert.That(pages.Reads, Is.EqualTo(2));
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
