using PiHub.Core.Auth;
using PiHub.Core.Auth.Storage;

namespace PiHub.Core.Admin;

/// <summary>How an administration operation failed; each maps to one <c>pihub-cli</c> exit code.</summary>
public enum AdminFailure
{
    /// <summary>The operation was refused or could not be done (exit 1).</summary>
    Failed = 1,

    /// <summary>The request was malformed: a missing argument, an unknown command (exit 2).</summary>
    Usage = 2,

    /// <summary>The caller may not administer this hub (exit 3).</summary>
    NotPermitted = 3,

    /// <summary>The store or the service cannot be reached or written (exit 4).</summary>
    Unavailable = 4,
}

/// <summary>
/// An administration failure: a stable <see cref="Code"/> (an <see cref="AuthErrorCodes"/> value or one of the
/// admin codes below), its <see cref="Failure"/> class, and a message that says what to do next.
/// </summary>
public sealed class AdminException : Exception
{
    /// <summary>The request lacks an argument or names an unknown operation.</summary>
    public const string InvalidRequestCode = "invalid_request";

    /// <summary>The caller is neither root, the service's user, nor in the admin group.</summary>
    public const string NotPermittedCode = "not_permitted";

    /// <summary>The store cannot be opened, read or written.</summary>
    public const string StoreUnavailableCode = AuthErrorCodes.StoreUnavailable;

    /// <summary>A destructive operation was asked for without its confirmation.</summary>
    public const string ConfirmationRequiredCode = "confirmation_required";

    /// <summary>The feature is not part of this build.</summary>
    public const string NotAvailableCode = "not_available";

    /// <summary>The operation acts on the running service, and none answers.</summary>
    public const string ServiceNotRunningCode = "service_not_running";

    /// <summary>A simulation asked of a hub on its real hardware (as the HTTP API's <c>dev_mode_only</c>).</summary>
    public const string DevModeOnlyCode = "dev_mode_only";

    public AdminException(AdminFailure failure, string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Code = code;
    }

    public AdminFailure Failure { get; }

    public string Code { get; }

    /// <summary>The failure class of an auth or store error: a store that refuses writes is "unavailable".</summary>
    public static AdminException From(Exception ex) => ex switch
    {
        AdminException admin => admin,
        AuthException { Code: AuthErrorCodes.StoreUnavailable } auth => new(AdminFailure.Unavailable, auth.Code, auth.Message, auth),
        AuthException auth => new(AdminFailure.Failed, auth.Code, auth.Message, auth),
        AuthStoreException { Error: AuthStoreError.InvariantViolated } store => new(AdminFailure.Failed, "invariant_violated", store.Message, store),
        AuthStoreException store => new(AdminFailure.Unavailable, StoreUnavailableCode, store.Message, store),
        _ => throw new ArgumentException("Not an administration failure.", nameof(ex), ex),
    };

    /// <summary>An operation on the running service (<paramref name="command"/>) with the service stopped.</summary>
    public static AdminException ServiceNotRunning(string command, bool devMode, string? socket = null) =>
        new(AdminFailure.Unavailable, ServiceNotRunningCode,
            (socket is null ? "PiHub is not running" : $"PiHub is not running (nothing answers on its admin socket {socket})")
            + $", and pihub-cli {command} acts on the running service only. Start it ("
            + (devMode ? "in dev mode, `dotnet run --project src/PiHub.Server` in this folder" : "`sudo systemctl start pihub`")
            + ") and try again.");

    internal static AdminException Missing(string what, string example) =>
        new(AdminFailure.Usage, InvalidRequestCode, $"{what} is missing; e.g. {example}.");

    internal static AdminException UnknownUser(string username) =>
        new(AdminFailure.Failed, AuthErrorCodes.NotFound,
            $"There is no user \"{username}\". List the usernames with `pihub-cli users list`.");
}
