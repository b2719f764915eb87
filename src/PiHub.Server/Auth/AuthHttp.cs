using Microsoft.AspNetCore.Http.HttpResults;
using PiHub.Core.Auth;
using PiHub.Server.Auth.Contracts;

namespace PiHub.Server.Auth;

/// <summary>Maps <see cref="AuthException"/> codes to HTTP statuses and Home Assistant's error bodies.</summary>
public static class AuthHttp
{
    /// <summary>The HTTP status for an auth error code.</summary>
    public static int StatusFor(string code) => code switch
    {
        AuthErrorCodes.AccessDenied or AuthErrorCodes.UserExists or AuthErrorCodes.Unauthorized
            or AuthErrorCodes.OwnerProtected => StatusCodes.Status403Forbidden,
        AuthErrorCodes.NotFound => StatusCodes.Status404NotFound,
        AuthErrorCodes.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary><c>{"message","code"}</c> with the status of the code.</summary>
    public static JsonHttpResult<MessageResponse> Message(AuthException ex) => Api.PowerFailing.Is(ex)
        ? Message(StatusCodes.Status503ServiceUnavailable, Core.Power.WriteGate.Code, Core.Power.WriteGate.Message)
        : TypedResults.Json(new MessageResponse(ex.Message, ex.Code), AuthJsonContext.Web.MessageResponse,
            statusCode: StatusFor(ex.Code));

    /// <summary><c>{"message"}</c> for a body that could not be read.</summary>
    public static JsonHttpResult<MessageResponse> Message(BodyError error, string code = AuthErrorCodes.InvalidFormat) =>
        TypedResults.Json(new MessageResponse(error.Message, code), AuthJsonContext.Web.MessageResponse,
            statusCode: error.StatusCode);

    /// <summary><c>{"message","code"}</c> with an explicit status.</summary>
    public static JsonHttpResult<MessageResponse> Message(int statusCode, string code, string message) =>
        TypedResults.Json(new MessageResponse(message, code), AuthJsonContext.Web.MessageResponse, statusCode: statusCode);

    /// <summary>The OAuth2 error body <c>{"error","error_description"}</c>.</summary>
    public static JsonHttpResult<OAuthErrorResponse> OAuth(AuthException ex) => Api.PowerFailing.Is(ex)
        ? OAuth(StatusCodes.Status503ServiceUnavailable, Core.Power.WriteGate.Code, Core.Power.WriteGate.Message)
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
