namespace PiHub.Core.Auth;

/// <summary>
/// An auth failure a client or user can see: a stable <see cref="Code"/> from
/// <see cref="AuthErrorCodes"/> and a message that says what to do next.
/// </summary>
public sealed class AuthException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> must tell the reader how to proceed.</summary>
    public AuthException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    /// <summary>One of <see cref="AuthErrorCodes"/>.</summary>
    public string Code { get; }

    internal static AuthException NotFound(string what, string next) =>
        new(AuthErrorCodes.NotFound, $"{what} does not exist. {next}");

    internal static AuthException NotAdmin() =>
        new(AuthErrorCodes.Unauthorized, "Only an administrator can do this; ask the owner or an admin of this hub.");
}
