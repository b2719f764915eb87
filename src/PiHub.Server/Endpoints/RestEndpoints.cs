using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PiHub.Core.Hub;
using PiHub.Server.Auth;
using PiHub.Configuration;
using PiHub.Server.Http;

namespace PiHub.Server.Endpoints;

/// <summary>Home Assistant's REST API: <c>/api/</c>, config, states, services, events.</summary>
public static class RestEndpoints
{
    public static IEndpointRouteBuilder MapRestEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireApiUser();
        api.MapGet("/", static () => ApiResults.Message("API running."));
        api.MapGet("/config", static (HubCore hub) => ApiResults.Json(w => HubWriter.WriteConfig(w, hub)));
        api.MapGet("/states", static (HubCore hub) => ApiResults.Json(hub.States.AllJson()));
        api.MapGet("/states/{entity_id}", GetState);
        api.MapPost("/states/{entity_id}", SetStateAsync).RequireAdmin();
        api.MapDelete("/states/{entity_id}", DeleteState).RequireAdmin();
        api.MapGet("/services", static (HubCore hub) => ApiResults.Json(w => HubWriter.WriteServices(w, hub.Services.All())));
        api.MapPost("/services/{domain}/{service}", CallServiceAsync).RequireWriter();
        api.MapPost("/events/{event_type}", FireEventAsync).RequireAdmin();
        return app;
    }

    private static IResult GetState(string entity_id, HubCore hub) =>
        hub.States.Get(entity_id) is { } state
            ? ApiResults.Json(state.Json.ToArray())
            : ApiResults.NotFound($"Entity not found: {entity_id}. GET /api/states lists every entity.");

    private static async Task<IResult> SetStateAsync(string entity_id, HttpContext context, HubCore hub, PiHubOptions options, CancellationToken cancellationToken)
    {
        if (!EntityId.IsValid(entity_id))
        {
            return ApiResults.BadRequest($"Invalid entity ID \"{entity_id}\": use domain.object_id with lowercase letters, digits and single underscores, e.g. sensor.kitchen_temperature.");
        }

        var (doc, error) = await RequestJson.ReadAsync(context, options.Http.MaxBodyBytes, null, cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        using (doc)
        {
            var root = doc!.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return ApiResults.BadRequest("Invalid JSON specified: send an object such as {\"state\": \"on\", \"attributes\": {}}.");
            if (!root.TryGetProperty("state", out var stateValue)) return ApiResults.BadRequest("No state specified.");
            var text = stateValue.ValueKind switch
            {
                JsonValueKind.String => stateValue.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => stateValue.GetRawText(),
                _ => null,
            };
            if (text is null) return ApiResults.BadRequest($"\"state\" must be a string (or a number or boolean), not {stateValue.ValueKind}.");
            JsonElement? attributes = null;
            if (root.TryGetProperty("attributes", out var attrs) && attrs.ValueKind != JsonValueKind.Null)
            {
                if (attrs.ValueKind != JsonValueKind.Object) return ApiResults.BadRequest("\"attributes\" must be a JSON object.");
                attributes = attrs;
            }

            var force = root.TryGetProperty("force_update", out var f) && f.ValueKind == JsonValueKind.True;
            var existed = hub.States.Get(entity_id) is not null;
            try
            {
                var state = hub.States.Set(entity_id, text, attributes, HubContext.New(context.Principal().User.Id, hub.Time), force);
                if (!existed) context.Response.Headers.Location = $"/api/states/{entity_id}";
                return ApiResults.Json(state.Json.ToArray(), existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
            }
            catch (HubException ex)
            {
                return ApiResults.BadRequest(ex.Message, ApiErrorCodes.FromHub(ex.Code));
            }
        }
    }

    private static IResult DeleteState(string entity_id, HttpContext context, HubCore hub) =>
        hub.States.Remove(entity_id, HubContext.New(context.Principal().User.Id, hub.Time))
            ? ApiResults.Message("Entity removed.")
            : ApiResults.NotFound($"Entity not found: {entity_id}.");

    private static async Task<IResult> CallServiceAsync(string domain, string service, HttpContext context, HubCore hub, PiHubOptions options, CancellationToken cancellationToken)
    {
        var (doc, error) = await RequestJson.ReadAsync(context, options.Http.MaxBodyBytes, "{}", cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        using (doc)
        {
            try
            {
                // Home Assistant counts ?return_response by its presence, whatever its value.
                var returnResponse = context.Request.Query.ContainsKey("return_response");
                var changed = await hub.Services.CallAsync(domain, service, doc!.RootElement, default, HubContext.New(context.Principal().User.Id, hub.Time), returnResponse, cancellationToken).ConfigureAwait(false);
                return ApiResults.Json(w =>
                {
                    w.WriteStartArray();
                    foreach (var s in changed) s.WriteCachedTo(w);
                    w.WriteEndArray();
                });
            }
            catch (HubException ex)
            {
                if (PowerFailing.Is(ex)) return PowerFailing.Result();
                if (ex.TranslationKey == Core.Hub.Services.ServiceRegistry.NoResponseTranslationKey)
                {
                    // Home Assistant's REST wording; the code is the WebSocket's for the same refusal.
                    return ApiResults.BadRequest("Service does not support responses. Remove return_response from request.", ApiErrorCodes.ServiceValidationError);
                }

                return ex.Code == HubErrorCodes.ServiceNotFound ? ApiResults.NotFound(ex.Message) : ApiResults.BadRequest(ex.Message, ApiErrorCodes.FromHub(ex.Code));
            }
        }
    }

    private static async Task<IResult> FireEventAsync(string event_type, HttpContext context, HubCore hub, PiHubOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(event_type) || event_type.Length > 64)
        {
            return ApiResults.BadRequest("The event type must be 1 to 64 characters, e.g. door_opened.");
        }

        var (doc, error) = await RequestJson.ReadAsync(context, options.Http.MaxBodyBytes, "{}", cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        using (doc)
        {
            if (doc!.RootElement.ValueKind != JsonValueKind.Object) return ApiResults.BadRequest("Event data should be a JSON object.");
            hub.Bus.Fire(new CustomEvent(event_type, doc.RootElement, HubContext.New(context.Principal().User.Id, hub.Time), hub.Time.GetUtcNow(), "REMOTE"));
            return ApiResults.Message($"Event {event_type} fired.");
        }
    }
}
