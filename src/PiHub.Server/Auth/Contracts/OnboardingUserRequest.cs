namespace PiHub.Server.Auth.Contracts;

/// <summary>
/// The body of <c>POST /api/onboarding/users</c>. PiHub's additions: <c>recovery_code</c> for recovery mode, and
/// <c>redirect_uri</c>, where the onboarding page will send the auth code, checked as <c>/auth/authorize</c> checks it.
/// </summary>
public sealed record OnboardingUserRequest
{
    public string? ClientId { get; init; }

    public string? Name { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Language { get; init; }

    public string? RecoveryCode { get; init; }

    public string? RedirectUri { get; init; }
}
