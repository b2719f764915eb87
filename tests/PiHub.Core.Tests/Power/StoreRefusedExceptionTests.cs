using PiHub.Core.Auth;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Hub;
using PiHub.Core.Power;

namespace PiHub.Core.Tests.Power;

/// <summary>One refusal type, found however deep the store's own exceptions carry it.</summary>
public class StoreRefusedExceptionTests
{
    private static StoreRefusedException Refusal(string code) => new("auth", code, "refused");

    [Test]
    public void In_AuthRefusalWrappedByAuthManager_FindsIt()
    {
        var refusal = Refusal(StoreRefusalCodes.PowerFailing);
        var store = new AuthStoreException(AuthStoreError.PowerFailing, "refused", refusal);
        var auth = new AuthException(AuthErrorCodes.StoreUnavailable, "not saved", store);

        Assert.That(StoreRefusedException.In(auth), Is.SameAs(refusal));
        Assert.That(StoreRefusedException.IsPowerFailing(auth), Is.True);
    }

    [Test]
    public void IsPowerFailing_ReadOnlyRefusal_False()
    {
        var ex = new HubException(WriteGate.Code, WriteGate.Message, Refusal(StoreRefusalCodes.ReadOnly));

        Assert.That(StoreRefusedException.IsPowerFailing(ex), Is.False);
        Assert.That(StoreRefusedException.In(ex)?.Code, Is.EqualTo(StoreRefusalCodes.ReadOnly));
    }

    [Test]
    public void In_NoRefusalInChain_Null()
    {
        var ex = new AuthException(AuthErrorCodes.StoreUnavailable, "not saved",
            new AuthStoreException(AuthStoreError.WriteFailed, "disk full", new IOException("disk full")));

        Assert.That(StoreRefusedException.In(ex), Is.Null);
        Assert.That(StoreRefusedException.IsPowerFailing(null), Is.False);
    }
}
