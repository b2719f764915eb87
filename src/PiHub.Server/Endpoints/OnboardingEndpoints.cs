using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PiHub.Core.Auth;
using PiHub.Server.Auth;
using PiHub.Server.Auth.Contracts;
using PiHub.Server.Http;

namespace PiHub.Server.Endpoints;

/// <summary>Home Assistant's onboarding API: progress, and creating the owner (no auth needed, once).</summary>
public static class OnboardingEndpoints
{
    private const string UserExample =
        "{\"client_id\":\"http://pihub.local:8123/\",\"name\":\"Alice\",\"username\":\"alice\",\"password\":\"…\",\"language\":\"en\"}";

    /// <summary>Maps <c>GET /api/onboarding</c> and <c>POST /api/onboarding/users</c>.</summary>
    public static IEndpointRouteBuilder MapOnboardingEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/onboarding", GetSteps);
        app.MapPost("/api/onboarding/users", CreateOwnerAsync);
        return app;
    }

    /// <summary>
    /// <c>[{"step":"user","done":…,"recovery_code_required":…}, …]</c>: Home Assistant's list, plus whether creating the
    /// owner needs the one-time recovery code (onboarding reopened after the user database was lost).
    /// </summary>
    public static JsonHttpResult<List<OnboardingStepStatus>> GetSteps([FromServices] AuthManager manager)
    {
        var state = manager.GetOnboarding();
        List<OnboardingStepStatus> steps =
        [
            new("user", state.UserDone, !state.UserDone && state.RecoveryMode),
            new("core_config", state.CoreConfigDone),
            new("analytics", state.AnalyticsDone),
            new("integration", state.IntegrationDone),
        ];
        return TypedResults.Json(steps, AuthJsonContext.Web.ListOnboardingStepStatus);
    }

    /// <summary>
    /// Creates the owner and answers <c>{"auth_code"}</c>; 403 once the owner exists. A <c>redirect_uri</c> in the body
    /// (the onboarding page sends the one an app gave it) must pass <c>/auth/authorize</c>'s checks, or nothing is created.
    /// </summary>
    public static async Task<Results<JsonHttpResult<OnboardingUserResponse>, JsonHttpResult<MessageResponse>>> CreateOwnerAsync(
        HttpContext context, [FromServices] AuthManager manager, CancellationToken cancellationToken)
    {
        AuthHttp.NoStore(context.Response);
        if (manager.IsOnboarded)
        {
            return AuthHttp.Message(StatusCodes.Status403Forbidden, AuthErrorCodes.UserExists,
                "User step already done: the owner exists. Log in at /auth/login_flow instead; a locked-out owner " +
                "can set a new password with `pihub-cli users passwd <username>` on the hub.");
        }

        // A form or text/plain body is what a page on another site can send without asking the browser first.
        if (!context.Request.HasJsonContentType())
        {
            return AuthHttp.Message(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
                $"Send the owner as JSON with the header Content-Type: application/json, e.g. {UserExample}.");
        }

        var (body, error) = await AuthRequestReader.ReadJsonAsync(context, AuthJsonContext.Web.OnboardingUserRequest,
            UserExample, cancellationToken);
        if (error is not null) return AuthHttp.Message(error);
        var missing = Missing(body!);
        if (missing is not null)
        {
            return AuthHttp.Message(StatusCodes.Status400BadRequest, AuthErrorCodes.InvalidFormat,
                $"Message format incorrect: \"{missing}\" is required, e.g. {UserExample}.");
        }

        try
        {
            var code = await manager.Users.CreateOwnerAsync(body!.ClientId!, body.Name!, body.Username!, body.Password!,
                body.Language, body.RecoveryCode, body.RedirectUri, ClientAddress.Of(context), cancellationToken);
            return TypedResults.Json(new OnboardingUserResponse(code), AuthJsonContext.Web.OnboardingUserResponse);
        }
        catch (AuthException ex)
        {
            return AuthHttp.Message(ex);
        }
    }

    private static string? Missing(OnboardingUserRequest body) =>
        body.ClientId is null ? "client_id"
        : body.Name is null ? "name"
        : body.Username is null ? "username"
        : body.Password is null ? "password"
        : null;
}
