namespace PiHub.Server.Auth.Contracts;

/// <summary>The body of <c>POST /api/onboarding/users</c>; <c>recovery_code</c> is PiHub's addition for recovery mode.</summary>
public sealed record OnboardingUserRequest
{
    public string? ClientId { get; init; }

    public string? Name { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? Language { get; init; }

    public string? RecoveryCode { get; init; }
}
