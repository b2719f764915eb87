using PiHub.Core.Power;

namespace PiHub.Core;

/// <summary>Stable codes of a store's refusal to write.</summary>
public static class StoreRefusalCodes
{
    /// <summary>Power is failing: changes are paused until power is back (see <see cref="WriteGate"/>).</summary>
    public const string PowerFailing = WriteGate.Code;

    /// <summary>The store is read-only (set so by an operator, or after a failure it could not recover from).</summary>
    public const string ReadOnly = "read_only";
}

/// <summary>
/// A store refused a write: the one type every store (auth, hub) uses for a refusal, whatever the
/// exception that carries it to its caller. The store's own exception (<c>HubException</c>,
/// <c>AuthStoreException</c>) keeps what clients see; this one rides along as its inner exception,
/// so a caller asks <see cref="In"/> instead of knowing each store's shape.
/// </summary>
public sealed class StoreRefusedException : Exception
{
    public StoreRefusedException(string store, string code, string message)
        : base(message)
    {
        Store = store;
        Code = code;
    }

    /// <summary>The refusing store: "auth" or "hub".</summary>
    public string Store { get; }

    /// <summary>One of <see cref="StoreRefusalCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The refusal in <paramref name="ex"/> or its chain of inner exceptions, or null when it is none.</summary>
    public static StoreRefusedException? In(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is StoreRefusedException refused) return refused;
        }
        return null;
    }

    /// <summary>True when <paramref name="ex"/> is, or carries, a refusal because power is failing.</summary>
    public static bool IsPowerFailing(Exception? ex) => In(ex)?.Code == StoreRefusalCodes.PowerFailing;
}
