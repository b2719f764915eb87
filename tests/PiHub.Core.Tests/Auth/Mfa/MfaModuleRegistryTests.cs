using PiHub.Core.Auth.Mfa;

namespace PiHub.Core.Tests.Auth.Mfa;

public class MfaModuleRegistryTests
{
    [Test]
    public void Constructor_SameIdTwice_RefusedNamingTheId()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new MfaModuleRegistry([new FakeModule("webauthn"), new FakeModule("webauthn")]));

        Assert.That(ex!.Message, Does.Contain("\"webauthn\" is registered twice"));
    }

    [Test]
    public void Find_KnownAndUnknownId_ModuleOrNull()
    {
        var totp = new FakeModule("totp");
        var registry = new MfaModuleRegistry([totp, new FakeModule("webauthn")]);

        Assert.That(registry.Find("totp"), Is.SameAs(totp));
        Assert.That(registry.Find("sms"), Is.Null);
        Assert.That(registry.Find(null), Is.Null);
    }

    [Test]
    public void FirstEnabledFor_SecondModuleEnabled_ThatModule()
    {
        var webauthn = new FakeModule("webauthn", enabledFor: "bob");
        var registry = new MfaModuleRegistry([new FakeModule("totp"), webauthn]);

        Assert.That(registry.FirstEnabledFor("bob"), Is.SameAs(webauthn));
        Assert.That(registry.FirstEnabledFor("alice"), Is.Null);
    }

    [Test]
    public void TotpModule_OfAuthManager_RegisteredUnderTotpWithOneCodeField()
    {
        using var ctx = new AuthTestContext();

        var module = ctx.Manager.Mfa.Find("totp");

        Assert.That(module, Is.SameAs(ctx.Manager.Totp));
        Assert.That(module!.InputSchema.Select(f => (f.Name, f.Type)), Is.EqualTo(new[] { ("code", "string") }));
    }

    /// <summary>A second factor that is enabled for one user and accepts nothing.</summary>
    private sealed class FakeModule(string id, string? enabledFor = null) : MfaModule
    {
        public override string Id => id;

        public override string Name => id;

        public override bool IsEnabledFor(string userId) => userId == enabledFor;

        public override Task<bool> ValidateLoginAsync(string userId, IReadOnlyDictionary<string, string> input,
            CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
