using PiHub.Core.Auth.Flows;

namespace PiHub.Core.Auth.Mfa;

/// <summary>
/// A second factor, keyed like Home Assistant's <c>mfa_modules</c> by <see cref="Id"/>. The login flow asks the
/// module for its form and hands it the answer; everything else a module offers (set-up, disabling) is its own
/// API. A new kind of second factor is a new subclass registered in <see cref="MfaModuleRegistry"/>.
/// </summary>
public abstract class MfaModule
{
    /// <summary>Wrong codes allowed per login flow or per set-up before it is ended.</summary>
    public const int MaxTries = 5;

    private static readonly IReadOnlyList<FormField> s_codeSchema = [new FormField("code", "string")];

    /// <summary>Registry key, e.g. <c>totp</c>; also the suffix of the user's <see cref="Model.MfaEnrollment"/> id.</summary>
    public abstract string Id { get; }

    /// <summary>Display name, e.g. "Authenticator app".</summary>
    public abstract string Name { get; }

    /// <summary>The fields of the login flow's <c>mfa</c> step; one <c>code</c> string unless overridden.</summary>
    public virtual IReadOnlyList<FormField> InputSchema => s_codeSchema;

    /// <summary>Whether the user has this factor enabled (a set-up in progress does not count).</summary>
    public abstract bool IsEnabledFor(string userId);

    /// <summary>
    /// Checks the answer to the login flow's <c>mfa</c> step. A right answer is committed (e.g. the code's time
    /// step recorded, so it cannot be replayed) before true is returned; a wrong one changes nothing.
    /// </summary>
    public abstract Task<bool> ValidateLoginAsync(string userId, IReadOnlyDictionary<string, string> input,
        CancellationToken cancellationToken);

    /// <summary>
    /// A sentence to add to a refused code when something other than the code may be at fault (the hub's clock),
    /// else null.
    /// </summary>
    public virtual string? WrongCodeHint() => null;

    /// <summary>Forgets a set-up in progress for the user, if the module keeps one (after a reset or disable).</summary>
    public virtual void CancelSetup(string userId)
    {
    }
}
