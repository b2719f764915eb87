namespace PiHub.Server.Auth.Contracts;

/// <summary>One entry of <c>GET /api/onboarding</c>: <c>{"step","done"}</c>.</summary>
public sealed record OnboardingStepStatus(string Step, bool Done);
