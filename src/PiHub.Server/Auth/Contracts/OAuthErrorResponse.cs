namespace PiHub.Server.Auth.Contracts;

/// <summary>The OAuth2 error body of <c>/auth/token</c>: <c>{"error", "error_description"}</c>.</summary>
public sealed record OAuthErrorResponse(string Error, string ErrorDescription);
