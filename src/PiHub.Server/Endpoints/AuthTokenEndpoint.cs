using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PiHub.Core.Auth;
using PiHub.Server.Auth;
using PiHub.Server.Auth.Contracts;
using PiHub.Server.Http;

namespace PiHub.Server.Endpoints;

/// <summary>
/// <c>/auth/token</c> (OAuth2 token endpoint: authorization_code, refresh_token, and the legacy
/// <c>action=revoke</c>) and <c>/auth/revoke</c> (RFC 7009). Every answer is JSON with
/// <c>Cache-Control: no-store</c> — never a redirect.
/// </summary>
public static class AuthTokenEndpoint
{
    /// <summary>Handles <c>POST /auth/token</c>; takes a form (as HA clients send) or a flat JSON object.</summary>
    public static async Task<Results<JsonHttpResult<TokenResponse>, JsonHttpResult<OAuthErrorResponse>, Ok>> HandleAsync(
        HttpContext context, [FromServices] AuthManager manager, CancellationToken cancellationToken)
    {
        AuthHttp.NoStore(context.Response);
        var (fields, error) = await AuthRequestReader.ReadFieldsAsync(context, cancellationToken);
        if (error is not null) return AuthHttp.OAuth(error.StatusCode, AuthErrorCodes.InvalidRequest, error.Message);

        var form = fields!;
        if (form.GetValueOrDefault("action") == "revoke")
        {
            return await RevokeTokenAsync(manager, form, cancellationToken) is { } failed ? failed : TypedResults.Ok();
        }

        var address = ClientAddress.Of(context);
        var clientId = form.GetValueOrDefault("client_id");
        try
        {
            var grant = form.GetValueOrDefault("grant_type") switch
            {
                "authorization_code" => await manager.Tokens.ExchangeAuthCodeAsync(clientId, form.GetValueOrDefault("code"),
                    address, cancellationToken),
                "refresh_token" => await manager.Tokens.RefreshAccessTokenAsync(clientId, form.GetValueOrDefault("refresh_token"),
                    address, cancellationToken),
                null or "" => throw new AuthException(AuthErrorCodes.InvalidRequest,
                    "Missing grant_type: send grant_type=authorization_code (with code and client_id) or " +
                    "grant_type=refresh_token (with refresh_token and client_id)."),
                var other => throw new AuthException(AuthErrorCodes.UnsupportedGrantType,
                    $"Unsupported grant_type \"{other}\": use authorization_code or refresh_token."),
            };
            return TypedResults.Json(new TokenResponse
            {
                AccessToken = grant.AccessToken,
                ExpiresIn = grant.ExpiresIn,
                RefreshToken = grant.RefreshToken,
                HaAuthProvider = grant.RefreshToken is null ? null : grant.AuthProviderType,
            }, AuthJsonContext.Web.TokenResponse);
        }
        catch (AuthException ex)
        {
            return AuthHttp.OAuth(ex);
        }
    }

    /// <summary>
    /// <c>GET /auth/token</c>: a JSON 405 that says how to ask, so a script that tries a GET (as users of
    /// HA 0.77 tried <c>/auth/authorize?grant_type=refresh_token</c>) gets an answer it can read, not a page.
    /// </summary>
    public static JsonHttpResult<OAuthErrorResponse> RefuseGet(HttpContext context, CancellationToken cancellationToken)
    {
        AuthHttp.NoStore(context.Response);
        context.Response.Headers.Allow = "POST";
        return AuthHttp.OAuth(StatusCodes.Status405MethodNotAllowed, AuthErrorCodes.InvalidRequest,
            "Use POST /auth/token with a form body: grant_type=refresh_token&refresh_token=…&client_id=… " +
            "(or grant_type=authorization_code&code=…&client_id=…). The answer is JSON.");
    }

    /// <summary><c>POST /auth/revoke</c> with <c>token=&lt;refresh token&gt;</c>: always 200 for a readable request (RFC 7009).</summary>
    public static async Task<Results<Ok, JsonHttpResult<OAuthErrorResponse>>> RevokeAsync(
        HttpContext context, [FromServices] AuthManager manager, CancellationToken cancellationToken)
    {
        AuthHttp.NoStore(context.Response);
        var (fields, error) = await AuthRequestReader.ReadFieldsAsync(context, cancellationToken);
        if (error is not null) return AuthHttp.OAuth(error.StatusCode, AuthErrorCodes.InvalidRequest, error.Message);
        return await RevokeTokenAsync(manager, fields!, cancellationToken) is { } failed ? failed : TypedResults.Ok();
    }

    /// <summary>Revokes the <c>token</c> field; null when done (or nothing to revoke), an error only when the store refused.</summary>
    private static async Task<JsonHttpResult<OAuthErrorResponse>?> RevokeTokenAsync(AuthManager manager,
        IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        try
        {
            await manager.Tokens.RevokeAsync(fields.GetValueOrDefault("token"), cancellationToken);
            return null;
        }
        catch (AuthException ex) when (ex.Code == AuthErrorCodes.StoreUnavailable)
        {
            // The token still works: answering "revoked" would be a lie the client acts on.
            return AuthHttp.OAuth(ex);
        }
    }
}
