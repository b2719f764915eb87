namespace PiHub.Core.Auth;

/// <summary>
/// The stable error codes of the auth system. Most are Home Assistant's own; clients may switch
/// on them, so a code never changes meaning. The sentence that goes with one is in
/// the exception message.
/// </summary>
public static class AuthErrorCodes
{
    /// <summary>A parameter is missing or malformed (OAuth2; also a login flow from another address).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>The auth code or refresh token is unknown, used, expired or for another client (OAuth2).</summary>
    public const string InvalidGrant = "invalid_grant";

    /// <summary>The <c>grant_type</c> is not one PiHub knows (OAuth2).</summary>
    public const string UnsupportedGrantType = "unsupported_grant_type";

    /// <summary>The user exists but may not have a token now (deactivated, remote login of a local-only user) — HTTP 403.</summary>
    public const string AccessDenied = "access_denied";

    /// <summary>Wrong username or password.</summary>
    public const string InvalidAuth = "invalid_auth";

    /// <summary>The owner has not been created yet.</summary>
    public const string OnboardingRequired = "onboarding_required";

    /// <summary>The owner already exists, so onboarding's user step is closed — HTTP 403.</summary>
    public const string UserExists = "user_exists";

    /// <summary>The username is taken by another credential.</summary>
    public const string UsernameExists = "username_exists";

    /// <summary>The user already has a long-lived token with that client name.</summary>
    public const string ClientNameExists = "client_name_exists";

    /// <summary>The user already has a username and password.</summary>
    public const string CredentialExists = "credential_exists";

    /// <summary>No such user, token, flow or provider.</summary>
    public const string NotFound = "not_found";

    /// <summary>The caller may not do this (not an admin, not the owner, not their token).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>A value has the wrong shape (username, password length, group id, lifespan).</summary>
    public const string InvalidFormat = "invalid_format";

    /// <summary>The change would leave the hub without exactly one active owner.</summary>
    public const string OwnerProtected = "owner_protected";

    /// <summary>
    /// Only the owner (or <c>pihub-cli</c> on the hub) changes the owner's password, username, second factor and
    /// restrictions (groups, local-only); an administrator may not — HTTP 403.
    /// </summary>
    public const string OwnerOnly = "owner_only";

    /// <summary>The auth store refused the write (read-only or failing medium); nothing changed.</summary>
    public const string StoreUnavailable = "store_unavailable";

    /// <summary>The MFA code (or recovery code) is wrong, expired or already used.</summary>
    public const string InvalidCode = "invalid_code";

    /// <summary>The user already has TOTP enabled; disable it before setting it up again.</summary>
    public const string MfaAlreadyEnabled = "mfa_already_enabled";

    /// <summary>Too many wrong codes: the login flow or MFA set-up was ended; start a new one.</summary>
    public const string TooManyRetry = "too_many_retry";

    /// <summary>The user has as many long-lived tokens as a user may; delete old ones first.</summary>
    public const string TooManyTokens = "too_many_tokens";

    /// <summary>This client has too much of a per-address budget in use (e.g. client pages being read); retry in a few seconds.</summary>
    public const string TooManyRequests = "too_many_requests";
}
