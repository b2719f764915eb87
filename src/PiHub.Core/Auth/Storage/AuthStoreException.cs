namespace PiHub.Core.Auth.Storage;

/// <summary>Stable error codes of the auth store. Numbers never change meaning.</summary>
public enum AuthStoreError
{
    /// <summary>The change would break an invariant (no owner, two owners, dangling reference).</summary>
    InvariantViolated = 1,

    /// <summary>The store is read-only (power failing, or set so by an operator).</summary>
    ReadOnly = 2,

    /// <summary>The disk refused the write (full, I/O error). Nothing was changed.</summary>
    WriteFailed = 3,

    /// <summary>Another process holds the store's lock.</summary>
    Locked = 4,

    /// <summary>The store could not be opened or recovered.</summary>
    Unrecoverable = 5,

    /// <summary>Power is failing: changes are paused until power is back (see <c>PiHub.Core.Power.WriteGate</c>).</summary>
    PowerFailing = 6,
}

/// <summary>The one exception type of the auth store: a code and a sentence that says what to do.</summary>
public sealed class AuthStoreException : Exception
{
    public AuthStoreException(AuthStoreError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public AuthStoreError Error { get; }
}
