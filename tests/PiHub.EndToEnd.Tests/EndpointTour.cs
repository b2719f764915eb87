using System.Net;
using System.Text.Json.Nodes;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests;

/// <summary>Calls every HTTP endpoint and WebSocket command once, good and bad input, recording the answers.</summary>
public static class EndpointTour
{
    public sealed record Visit(string What, HttpStatusCode Status, bool AsExpected, string Body);

    public static async Task<List<Visit>> RunAsync(HubApi api)
    {
        var visits = new List<Visit>();

        async Task<JsonNode?> Visit(string what, Func<Task<HttpResponseMessage>> call, params HttpStatusCode[] expected)
        {
            using var response = await call().ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            visits.Add(new Visit(what, response.StatusCode, expected.Contains(response.StatusCode), body));
            try
            {
                return body.Length == 0 ? null : JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException)
            {
                visits.Add(new Visit(what + " (body is not JSON)", response.StatusCode, false, body));
                return null;
            }
        }

        var http = api.Http;
        const HttpStatusCode ok = HttpStatusCode.OK;
        await Visit("GET /api/onboarding", () => http.GetAsync("api/onboarding"), ok);
        await Visit("GET /auth/providers before onboarding", () => http.GetAsync("auth/providers"), HttpStatusCode.BadRequest);
        await Visit("POST /api/onboarding/users bad JSON", () => http.PostAsync("api/onboarding/users", HubApi.Json("{")), HttpStatusCode.BadRequest);
        var owner = await api.OnboardAsync().ConfigureAwait(false);
        await Visit("POST /api/onboarding/users again", () => http.PostAsync("api/onboarding/users", HubApi.Json("""{"client_id":"http://127.0.0.1/","name":"X","username":"x","password":"xxxxxxxxxx","language":"en"}""")), HttpStatusCode.Forbidden);
        await Visit("GET /auth/providers", () => http.GetAsync("auth/providers"), ok);
        var flow = await Visit("POST /auth/login_flow", () => http.PostAsync("auth/login_flow", HubApi.Json("""{"client_id":"http://127.0.0.1/","handler":["homeassistant",null],"redirect_uri":"http://127.0.0.1/"}""")), ok);
        var flowId = flow?["flow_id"]?.GetValue<string>() ?? "missing";
        await Visit("POST /auth/login_flow/{id} wrong password", () => http.PostAsync($"auth/login_flow/{flowId}", HubApi.Json("""{"client_id":"http://127.0.0.1/","username":"owner","password":"wrong-password"}""")), ok);
        await Visit("POST /auth/login_flow/{unknown}", () => http.PostAsync("auth/login_flow/nope", HubApi.Json("""{"client_id":"http://127.0.0.1/"}""")), HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        await Visit("POST /auth/token unknown grant", () => http.PostAsync("auth/token", HubApi.Form(("grant_type", "password"))), HttpStatusCode.BadRequest);
        await Visit("POST /auth/token bad code", () => http.PostAsync("auth/token", HubApi.Form(("grant_type", "authorization_code"), ("code", "nope"), ("client_id", HubApi.ClientId))), HttpStatusCode.BadRequest);
        await Visit("POST /auth/token refresh", () => http.PostAsync("auth/token", HubApi.Form(("grant_type", "refresh_token"), ("refresh_token", api.RefreshToken!), ("client_id", HubApi.ClientId))), ok);

        await Visit("GET /api/", () => owner.GetAsync("api/"), ok);
        await Visit("GET /api/ without token", () => http.GetAsync("api/"), HttpStatusCode.Unauthorized);
        await Visit("GET /api/config", () => owner.GetAsync("api/config"), ok);
        await Visit("POST /api/states/sensor.tour", () => owner.PostAsync("api/states/sensor.tour", HubApi.Json("""{"state":"1","attributes":{"x":[1,{"y":null}]}}""")), HttpStatusCode.Created);
        await Visit("POST /api/states bad JSON", () => owner.PostAsync("api/states/sensor.tour", HubApi.Json("{")), HttpStatusCode.BadRequest);
        await Visit("GET /api/states", () => owner.GetAsync("api/states"), ok);
        await Visit("GET /api/states/sensor.tour", () => owner.GetAsync("api/states/sensor.tour"), ok);
        await Visit("GET /api/states/unknown", () => owner.GetAsync("api/states/sensor.nope"), HttpStatusCode.NotFound);
        await Visit("GET /api/services", () => owner.GetAsync("api/services"), ok);
        await Visit("POST /api/services toggle", () => owner.PostAsync("api/services/input_boolean/toggle", HubApi.Json("""{"entity_id":"input_boolean.porch"}""")), ok);
        await Visit("POST /api/services unknown", () => owner.PostAsync("api/services/light/explode", HubApi.Json("{}")), HttpStatusCode.NotFound);
        await Visit("POST /api/services ?return_response", () => owner.PostAsync("api/services/input_boolean/toggle?return_response", HubApi.Json("""{"entity_id":"input_boolean.porch"}""")), HttpStatusCode.BadRequest);
        await Visit("POST /api/template", () => owner.PostAsync("api/template", HubApi.Json("""{"template":"{{ 1 }}"}""")), HttpStatusCode.BadRequest);
        await Visit("POST /api/events", () => owner.PostAsync("api/events/tour", HubApi.Json("""{"a":1}""")), ok);
        await Visit("DELETE /api/states/sensor.tour", () => owner.DeleteAsync("api/states/sensor.tour"), ok);
        await Visit("GET /api/websocket as HTTP", () => owner.GetAsync("api/websocket"), HttpStatusCode.BadRequest);

        await TourWebSocketAsync(api, visits).ConfigureAwait(false);
        await Visit("POST /auth/revoke", () => http.PostAsync("auth/revoke", HubApi.Form(("token", api.RefreshToken!))), ok);
        await Visit("POST /auth/token refresh after revoke", () => http.PostAsync("auth/token", HubApi.Form(("grant_type", "refresh_token"), ("refresh_token", api.RefreshToken!), ("client_id", HubApi.ClientId))), HttpStatusCode.BadRequest);
        owner.Dispose();
        return visits;
    }

    private static async Task TourWebSocketAsync(HubApi api, List<Visit> visits)
    {
        var (ws, answer) = await WsClient.AuthenticateAsync(api.WebSocketUri, api.AccessToken).ConfigureAwait(false);
        await using var _ = ws;
        visits.Add(new Visit("ws auth", HttpStatusCode.OK, answer["type"]?.GetValue<string>() == "auth_ok", answer.ToJsonString()));
        var commands = new (string Type, JsonObject? Fields, bool Success)[]
        {
            ("supported_features", new JsonObject { ["features"] = new JsonObject { ["coalesce_messages"] = 1 } }, true),
            ("get_states", null, true),
            ("get_config", null, true),
            ("get_services", null, true),
            ("subscribe_events", new JsonObject { ["event_type"] = "state_changed" }, true),
            ("subscribe_entities", null, true),
            ("call_service", new JsonObject { ["domain"] = "input_boolean", ["service"] = "toggle", ["target"] = new JsonObject { ["entity_id"] = "input_boolean.porch" } }, true),
            ("call_service", new JsonObject { ["domain"] = "input_boolean" }, false),
            ("call_service", new JsonObject { ["domain"] = "input_boolean", ["service"] = "toggle", ["target"] = new JsonObject { ["entity_id"] = "input_boolean.porch" }, ["return_response"] = true }, false),
            ("config/entity_registry/list", null, true),
            ("config/entity_registry/list_for_display", null, true),
            ("config/entity_registry/get", new JsonObject { ["entity_id"] = "input_boolean.porch" }, true),
            ("config/entity_registry/get", new JsonObject { ["entity_id"] = "sensor.tour" }, false),
            ("config/device_registry/list", null, true),
            ("config/area_registry/list", null, true),
            ("config/floor_registry/list", null, true),
            ("config/label_registry/list", null, true),
            ("render_template", new JsonObject { ["template"] = "{{ 1 }}" }, false),
            ("fire_event", new JsonObject { ["event_type"] = "tour_ws", ["event_data"] = new JsonObject { ["k"] = "v" } }, true),
            ("persistent_notification/get", null, true),
            ("auth/current_user", null, true),
            ("auth/long_lived_access_token", new JsonObject { ["client_name"] = "tour", ["lifespan"] = 10 }, true),
            ("auth/long_lived_access_token", new JsonObject { ["client_name"] = "tour", ["lifespan"] = 0 }, false),
            ("auth/refresh_tokens", null, true),
            ("auth/delete_refresh_token", new JsonObject { ["refresh_token_id"] = "nope" }, false),
            ("unknown/command", null, false),
        };
        foreach (var (type, fields, success) in commands)
        {
            var result = await ws.CallAsync(type, fields).ConfigureAwait(false);
            var gotSuccess = result["success"]?.GetValue<bool>() ?? false;
            visits.Add(new Visit($"ws {type}", HttpStatusCode.OK, gotSuccess == success, result.ToJsonString()));
        }
    }
}
