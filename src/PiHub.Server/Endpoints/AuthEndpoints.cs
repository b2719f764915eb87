using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Validation;
using PiHub.Server.Auth;
using PiHub.Server.Auth.Contracts;
using PiHub.Server.Http;

namespace PiHub.Server.Endpoints;

/// <summary>
/// Home Assistant's auth HTTP API: <c>/auth/providers</c>, <c>/auth/login_flow</c>, <c>/auth/token</c>,
/// <c>/auth/revoke</c>. Shapes follow HA exactly; PiHub adds a <c>code</c> to <c>{"message"}</c> errors.
/// </summary>
public static class AuthEndpoints
{
    private const string FlowExample =
        "{\"client_id\":\"http://pihub.local:8123/\",\"handler\":[\"homeassistant\",null],\"redirect_uri\":\"http://pihub.local:8123/\"}";

    private const string StepExample = "{\"client_id\":\"http://pihub.local:8123/\",\"username\":\"alice\",\"password\":\"…\"}";

    /// <summary>Maps the auth endpoints.</summary>
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/auth/providers", GetProviders);
        app.MapPost("/auth/login_flow", StartLoginFlowAsync);
        app.MapPost("/auth/login_flow/{flow_id}", ContinueLoginFlowAsync);
        app.MapPost("/auth/token", AuthTokenEndpoint.HandleAsync);
        app.MapGet("/auth/token", AuthTokenEndpoint.RefuseGet);
        app.MapPost("/auth/revoke", AuthTokenEndpoint.RevokeAsync);
        return app;
    }

    /// <summary>The providers offered to this caller; 400 <c>onboarding_required</c> before the owner exists.</summary>
    public static Results<JsonHttpResult<ProvidersResponse>, JsonHttpResult<MessageResponse>> GetProviders(
        HttpContext context, [FromServices] AuthManager manager, CancellationToken cancellationToken)
    {
        var address = ClientAddress.Of(context);
        try
        {
            var providers = manager.GetProviders(address).Select(p => new ProviderInfo(p.Name, p.Id, p.Type)).ToList();
            return TypedResults.Json(new ProvidersResponse(providers, NetworkLocality.IsLocal(address)),
                AuthJsonContext.Web.ProvidersResponse);
        }
        catch (AuthException ex)
        {
            return AuthHttp.Message(ex);
        }
    }

    /// <summary>Starts a login flow: answers the provider's first form.</summary>
    public static async Task<Results<JsonHttpResult<LoginFlowResponse>, JsonHttpResult<MessageResponse>>> StartLoginFlowAsync(
        HttpContext context, [FromServices] AuthManager manager, CancellationToken cancellationToken)
    {
        AuthHttp.NoStore(context.Response);
        var (body, error) = await AuthRequestReader.ReadJsonAsync(context, AuthJsonContext.Web.LoginFlowRequest,
            FlowExample, cancellationToken);
        if (error is not null) return AuthHttp.Message(error);
        if (body!.ClientId is null)
        {
            return AuthHttp.Message(StatusCodes.Status400BadRequest, AuthErrorCodes.InvalidRequest,
                $"Message format incorrect: \"client_id\" is required, e.g. {FlowExample}.");
        }

        if (body.Handler is not { Length: >= 1 and <= 2 } handler || string.IsNullOrEmpty(handler[0]))
        {
            return AuthHttp.Message(StatusCodes.Status400BadRequest, AuthErrorCodes.InvalidRequest,
                $"Message format incorrect: \"handler\" must be [type, id], e.g. [\"homeassistant\", null].");
        }

        if (body.Type is not (null or "authorize" or "link_user"))
        {
            return AuthHttp.Message(StatusCodes.Status400BadRequest, AuthErrorCodes.InvalidRequest,
                $"Message format incorrect: \"type\" must be \"authorize\" or \"link_user\", not \"{body.Type}\".");
        }

        try
        {
            var result = await manager.Flows.StartAsync(body.ClientId, handler[0]!, handler.Length > 1 ? handler[1] : null,
                body.RedirectUri, ClientAddress.Of(context), cancellationToken);
            return Flow(result);
        }
        catch (AuthException ex)
        {
            return AuthHttp.Message(ex);
        }
    }

    /// <summary>
    /// Answers a step of a flow. Wrong credentials are HTTP 200 with the form and <c>errors.base = invalid_auth</c>;
    /// success is <c>create_entry</c> with the auth code in <c>result</c>.
    /// </summary>
    public static async Task<Results<JsonHttpResult<LoginFlowResponse>, JsonHttpResult<MessageResponse>>> ContinueLoginFlowAsync(
        HttpContext context, [FromRoute(Name = "flow_id")] string flowId, [FromServices] AuthManager manager,
        CancellationToken cancellationToken)
    {
        AuthHttp.NoStore(context.Response);
        var (json, error) = await AuthRequestReader.ReadJsonAsync(context,
            AuthJsonContext.Web.DictionaryStringJsonElement, StepExample, cancellationToken);
        if (error is not null) return AuthHttp.Message(error);
        var (fields, fieldError) = AuthRequestReader.ToStrings(json!);
        if (fieldError is not null) return AuthHttp.Message(fieldError);

        var input = new Dictionary<string, string>(fields!, StringComparer.Ordinal);
        if (!input.Remove("client_id", out var clientId))
        {
            return AuthHttp.Message(StatusCodes.Status400BadRequest, AuthErrorCodes.InvalidRequest,
                $"Message format incorrect: \"client_id\" is required, e.g. {StepExample}.");
        }

        try
        {
            var result = await manager.Flows.ContinueAsync(flowId, clientId, input, ClientAddress.Of(context),
                cancellationToken);
            return Flow(result);
        }
        catch (AuthException ex)
        {
            return AuthHttp.Message(ex);
        }
    }

    private static JsonHttpResult<LoginFlowResponse> Flow(LoginFlowResult result)
    {
        var response = new LoginFlowResponse
        {
            Type = result.Type,
            FlowId = result.FlowId,
            Handler = [result.HandlerType, result.HandlerId],
        };
        response = result.Type switch
        {
            LoginFlowResultTypes.Form => response with
            {
                StepId = result.StepId,
                DataSchema = [.. result.DataSchema.Select(f => new FormFieldDto(f.Name, f.Type, f.Required)
                {
                    Options = f.Options?.Select(o => new[] { o.Key, o.Value }).ToList(),
                })],
                Errors = result.Errors,
                Message = result.Message,
            },
            LoginFlowResultTypes.CreateEntry => response with { Version = 1, Title = result.Title, Result = result.Result },
            _ => response with { Reason = result.Reason, Message = result.Message },
        };
        return TypedResults.Json(response, AuthJsonContext.Web.LoginFlowResponse);
    }
}
