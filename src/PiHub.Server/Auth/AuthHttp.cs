using Microsoft.AspNetCore.Http.HttpResults;
using PiHub.Core.Auth;
using PiHub.Server.Auth.Contracts;
using PiHub.Server.Http;

namespace PiHub.Server.Auth;

/// <summary>Maps <see cref="AuthException"/> codes to HTTP statuses and Home Assistant's error bodies.</summary>
public static class AuthHttp
{
    /// <summary>The HTTP status for an auth error code.</summary>
    public static int StatusFor(string code) => code switch
    {
        AuthErrorCodes.AccessDenied or AuthErrorCodes.UserExists or AuthErrorCodes.Unauthorized
            or AuthErrorCodes.OwnerProtected or AuthErrorCodes.OwnerOnly => StatusCodes.Status403Forbidden,
        AuthErrorCodes.NotFound => StatusCodes.Status404NotFound,
        AuthErrorCodes.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        AuthErrorCodes.TooManyRequests => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary><c>{"message","code"}</c> with the status of the code.</summary>
    public static JsonHttpResult<MessageResponse> Message(AuthException ex) => PowerFailing.Is(ex)
        ? ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.PowerFailing, Core.Power.WriteGate.Message)
        : ApiResults.Error(StatusFor(ex.Code), ex.Code, ex.Message);

    /// <summary><c>{"message","code"}</c> for a body that could not be read; a 413 says <c>payload_too_large</c> as everywhere else.</summary>
    public static JsonHttpResult<MessageResponse> Message(BodyError error, string code = AuthErrorCodes.InvalidFormat) =>
        ApiResults.Error(error.StatusCode, error.StatusCode == StatusCodes.Status413PayloadTooLarge ? ApiErrorCodes.PayloadTooLarge : code, error.Message);

    /// <summary><c>{"message","code"}</c> with an explicit status.</summary>
    public static JsonHttpResult<MessageResponse> Message(int statusCode, string code, string message) => ApiResults.Error(statusCode, code, message);

    /// <summary>
    /// The OAuth2 error body <c>{"error","error_description"}</c> of <c>/auth/token</c> and <c>/auth/revoke</c>: the one
    /// REST error that is not <c>{"message","code"}</c>, because RFC 6749 fixes it and Home Assistant clients read it.
    /// </summary>
    public static JsonHttpResult<OAuthErrorResponse> OAuth(AuthException ex) => PowerFailing.Is(ex)
        ? OAuth(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.PowerFailing, Core.Power.WriteGate.Message)
        : OAuth(StatusFor(ex.Code), ex.Code, ex.Message);

    /// <summary>The OAuth2 error body with an explicit status.</summary>
    public static JsonHttpResult<OAuthErrorResponse> OAuth(int statusCode, string code, string description) =>
        TypedResults.Json(new OAuthErrorResponse(code, description), AuthJsonContext.Web.OAuthErrorResponse,
            statusCode: statusCode);

    /// <summary>Tokens and codes must never be cached by browsers or proxies.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
