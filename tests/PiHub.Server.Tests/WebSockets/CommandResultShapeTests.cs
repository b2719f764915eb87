using System.Text.Json;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;
using PiHub.Testing;

namespace PiHub.Server.Tests.WebSockets;

/// <summary>
/// The fields and JSON types of command results, as Home Assistant clients read them. Results are
/// source-generated DTOs; these tests pin the wire shape the hand-written writers had.
/// </summary>
public class CommandResultShapeTests
{
    private TestHub _hub = null!;
    private HttpClient _owner = null!;
    private WsClient _ws = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _hub = await TestHub.StartAsync();
        _owner = await _hub.OnboardAsync();
        var (client, answer) = await WsClient.AuthenticateAsync(_hub.WebSocketUri, _hub.AccessToken);
        Assert.That(answer["type"]!.GetValue<string>(), Is.EqualTo("auth_ok"), answer.ToJsonString());
        _ws = client;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _ws.DisposeAsync();
        _owner.Dispose();
        await _hub.DisposeAsync();
    }

    private async Task<JsonNode?> ResultAsync(string type, JsonObject? fields = null)
    {
        var answer = await _ws.CallAsync(type, fields);
        Assert.That(answer["success"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
        return answer["result"];
    }

    /// <summary>"name:kind" for each field, sorted, e.g. "id:String".</summary>
    private static string[] Shape(JsonNode? node) =>
        [.. node!.AsObject().Select(p => $"{p.Key}:{(p.Value is null ? JsonValueKind.Null : p.Value.GetValueKind())}").Order(StringComparer.Ordinal)];

    [Test]
    public async Task CallService_Result_ContextAndNullResponse()
    {
        var result = await ResultAsync("call_service", new JsonObject
        {
            ["domain"] = "input_boolean", ["service"] = "toggle", ["target"] = new JsonObject { ["entity_id"] = "input_boolean.porch" },
        });

        Assert.That(Shape(result), Is.EqualTo(new[] { "context:Object", "response:Null" }));
        Assert.That(Shape(result!["context"]), Is.EqualTo(new[] { "id:String", "parent_id:Null", "user_id:String" }));
    }

    [Test]
    public async Task FireEvent_Result_Context()
    {
        var result = await ResultAsync("fire_event", new JsonObject { ["event_type"] = "shape_test" });

        Assert.That(Shape(result), Is.EqualTo(new[] { "context:Object" }));
        Assert.That(Shape(result!["context"]), Is.EqualTo(new[] { "id:String", "parent_id:Null", "user_id:String" }));
    }

    [Test]
    public async Task CurrentUser_Result_HomeAssistantFields()
    {
        var result = await ResultAsync("auth/current_user");

        Assert.That(Shape(result), Is.EqualTo(new[]
        {
            "auth_method:String", "credentials:Array", "group_ids:Array", "id:String", "is_admin:True", "is_owner:True", "mfa_modules:Array", "name:String",
        }));
        Assert.That(Shape(result!["credentials"]![0]), Is.EqualTo(new[] { "auth_provider_id:Null", "auth_provider_type:String" }));
        Assert.That(Shape(result["mfa_modules"]![0]), Is.EqualTo(new[] { "enabled:False", "id:String", "name:String" }));
        Assert.That(result["mfa_modules"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("totp"));
    }

    [Test]
    public async Task LongLivedToken_Result_IsTheTokenString()
    {
        var result = await ResultAsync("auth/long_lived_access_token", new JsonObject { ["client_name"] = "shape", ["lifespan"] = 1 });

        Assert.That(result!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
        Assert.That(result.GetValue<string>().Split('.'), Has.Length.EqualTo(3), "a JWT");
    }

    [Test]
    public async Task RefreshTokens_Result_EveryFieldPresentNullsWritten()
    {
        var result = await ResultAsync("auth/refresh_tokens");
        var current = result!.AsArray().Single(t => t!["is_current"]!.GetValue<bool>());

        Assert.That(current!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal), Is.EqualTo(new[]
        {
            "auth_provider_type", "client_icon", "client_id", "client_name", "created_at", "expire_at", "id", "is_current",
            "last_used_at", "last_used_ip", "trusted_network", "type",
        }));
        Assert.That(current["type"]!.GetValue<string>(), Is.EqualTo("normal"));
        Assert.That(current["created_at"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$"));
        Assert.That(current["trusted_network"], Is.Null);
    }

    [Test]
    public async Task UserList_AndCreate_SameUserShape()
    {
        var created = await ResultAsync("config/auth/create", new JsonObject { ["name"] = "Shape Tester" });
        var list = await ResultAsync("config/auth/list");

        var expected = new[]
        {
            "credentials:Array", "group_ids:Array", "id:String", "is_active:True", "is_owner:False", "local_only:False",
            "name:String", "system_generated:False", "username:Null",
        };
        Assert.That(Shape(created), Is.EqualTo(new[] { "user:Object" }));
        Assert.That(Shape(created!["user"]), Is.EqualTo(expected));
        Assert.That(Shape(list!.AsArray().Single(u => u!["name"]!.GetValue<string>() == "Shape Tester")), Is.EqualTo(expected));
        var owner = list.AsArray().Single(u => u!["is_owner"]!.GetValue<bool>());
        Assert.That(owner!["username"]!.GetValue<string>(), Is.EqualTo("owner"));
        Assert.That(Shape(owner["credentials"]![0]), Is.EqualTo(new[] { "type:String" }));
    }

    [Test]
    public async Task SetupMfa_FirstStep_HomeAssistantForm()
    {
        var result = await ResultAsync("auth/setup_mfa", new JsonObject { ["mfa_module_id"] = "totp" });

        Assert.That(Shape(result), Is.EqualTo(new[]
        {
            "data_schema:Array", "description_placeholders:Object", "errors:Object", "flow_id:String", "handler:String", "last_step:Null",
            "step_id:String", "type:String",
        }));
        Assert.That(result!["type"]!.GetValue<string>(), Is.EqualTo("form"));
        Assert.That(Shape(result["data_schema"]![0]), Is.EqualTo(new[] { "name:String", "type:String" }));
        Assert.That(Shape(result["description_placeholders"]), Is.EqualTo(new[] { "code:String", "qr_code:String", "url:String" }));
        Assert.That(result["errors"]!.AsObject(), Is.Empty);
    }

    [Test]
    public async Task MfaReset_Result_Removed()
    {
        var user = await ResultAsync("config/auth/create", new JsonObject { ["name"] = "No Mfa" });

        var result = await ResultAsync("pihub/mfa/reset", new JsonObject { ["user_id"] = user!["user"]!["id"]!.GetValue<string>() });

        Assert.That(Shape(result), Is.EqualTo(new[] { "removed:False" }));
    }

    [Test]
    public async Task Webhooks_CreateAndList_Shapes()
    {
        var created = await ResultAsync("pihub/webhook/create", new JsonObject { ["name"] = "shape" });
        var list = await ResultAsync("pihub/webhook/list");

        Assert.That(Shape(created), Is.EqualTo(new[] { "url:String", "webhook_id:String" }));
        Assert.That(created!["url"]!.GetValue<string>(), Is.EqualTo("/api/webhook/" + created["webhook_id"]!.GetValue<string>()));
        Assert.That(Shape(list!.AsArray().Single(w => w!["name"]!.GetValue<string>() == "shape")), Is.EqualTo(new[]
        {
            "created_at:String", "created_by:String", "local_only:False", "name:String", "signed:False", "url:String", "webhook_id:String",
        }));
    }
}
