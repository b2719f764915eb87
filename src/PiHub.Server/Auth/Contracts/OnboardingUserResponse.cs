namespace PiHub.Server.Auth.Contracts;

/// <summary>The answer of <c>POST /api/onboarding/users</c>: an auth code to exchange at <c>/auth/token</c>.</summary>
public sealed record OnboardingUserResponse(string AuthCode);
