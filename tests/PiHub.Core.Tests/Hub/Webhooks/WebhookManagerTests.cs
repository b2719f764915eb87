using PiHub.Core.Auth;
using PiHub.Core.Hub.Webhooks;
using PiHub.Core.Tests.Auth;

namespace PiHub.Core.Tests.Hub.Webhooks;

public class WebhookManagerTests
{
    [Test]
    public async Task CreateAsync_ByAdmin_StoredWithRandomHexIdAndFound()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var webhooks = new WebhookManager(ctx.Manager);

        var created = await webhooks.CreateAsync(owner, "Doorbell", localOnly: true, signingSecret: null);

        Assert.That(created.Id, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(created.CreatedBy, Is.EqualTo(owner));
        Assert.That(ctx.Store.Current.Webhooks[created.Id].Name, Is.EqualTo("Doorbell"));
        Assert.That(webhooks.Find(created.Id), Is.EqualTo(created));
        Assert.That(webhooks.List().Select(w => w.Id), Is.EqualTo(new[] { created.Id }));
    }

    [Test]
    public async Task CreateAsync_ByNonAdmin_UnauthorizedAndNothingStored()
    {
        using var ctx = new AuthTestContext();
        await ctx.OnboardAsync();
        var bob = await ctx.CreateUserWithPasswordAsync("Bob", "bob", "bob's password");
        var webhooks = new WebhookManager(ctx.Manager);

        var ex = Assert.ThrowsAsync<AuthException>(() => webhooks.CreateAsync(bob, "Doorbell", false, null));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.Unauthorized));
        Assert.That(ctx.Store.Current.Webhooks, Is.Empty);
    }

    [TestCase(WebhookManager.MinSigningSecretLength - 1)]
    [TestCase(WebhookManager.MaxSigningSecretLength + 1)]
    public async Task CreateAsync_SigningSecretLengthOutOfRange_InvalidFormatNamingOpenssl(int length)
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var webhooks = new WebhookManager(ctx.Manager);

        var ex = Assert.ThrowsAsync<AuthException>(() => webhooks.CreateAsync(owner, "Doorbell", false, new string('s', length)));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.InvalidFormat));
        Assert.That(ex.Message, Does.Contain("openssl rand -hex 32"));
    }

    [Test]
    public async Task DeleteAsync_Existing_GoneFromFindAndList()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var webhooks = new WebhookManager(ctx.Manager);
        var created = await webhooks.CreateAsync(owner, "Doorbell", false, null);

        await webhooks.DeleteAsync(owner, created.Id);

        Assert.That(webhooks.Find(created.Id), Is.Null);
        Assert.That(webhooks.List(), Is.Empty);
    }

    [Test]
    public async Task DeleteAsync_Unknown_NotFoundPointingToList()
    {
        using var ctx = new AuthTestContext();
        var owner = await ctx.OnboardAsync();
        var webhooks = new WebhookManager(ctx.Manager);

        var ex = Assert.ThrowsAsync<AuthException>(() => webhooks.DeleteAsync(owner, "no-such-webhook"));

        Assert.That(ex!.Code, Is.EqualTo(AuthErrorCodes.NotFound));
        Assert.That(ex.Message, Does.Contain("pihub/webhook/list"));
    }
}
