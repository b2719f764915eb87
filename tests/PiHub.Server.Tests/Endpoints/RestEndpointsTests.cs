using System.Net;
using System.Text.Json.Nodes;
using PiHub.Server.Tests.Infrastructure;

namespace PiHub.Server.Tests.Endpoints;

public class RestEndpointsTests() : OnboardedHubTests(HubLifetime.PerFixture)
{
    [Test]
    public async Task GetApi_WithToken_SaysRunning()
    {
        var body = await TestHub.JsonAsync(await Owner.GetAsync("api/"));

        Assert.That(body["message"]!.GetValue<string>(), Is.EqualTo("API running."));
    }

    [TestCase(null)]
    [TestCase("Bearer not-a-token")]
    [TestCase("Basic b3duZXI6cGFzcw==")]
    public async Task GetStates_WithoutValidToken_Is401WithMessage(string? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/states");
        if (header is not null) request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await Hub.Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task GetConfig_HasHomeAssistantFields()
    {
        var config = await TestHub.JsonAsync(await Owner.GetAsync("api/config"));

        Assert.That(config["location_name"]!.GetValue<string>(), Is.EqualTo("Home"));
        Assert.That(config["state"]!.GetValue<string>(), Is.EqualTo("RUNNING"));
        Assert.That(config["unit_system"]!["temperature"]!.GetValue<string>(), Is.EqualTo("°C"));
        Assert.That(config["components"]!.AsArray().Select(c => c!.GetValue<string>()), Does.Contain("input_boolean"));
    }

    [Test]
    public async Task PostState_NewThenUpdate_201WithLocationThen200()
    {
        var created = await Owner.PostAsync("api/states/sensor.rest_test", TestHub.Json("""{"state":"21.5","attributes":{"unit_of_measurement":"°C"}}"""));
        var updated = await Owner.PostAsync("api/states/sensor.rest_test", TestHub.Json("""{"state":"22"}"""));
        var read = await TestHub.JsonAsync(await Owner.GetAsync("api/states/sensor.rest_test"));

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Headers.Location!.ToString(), Is.EqualTo("/api/states/sensor.rest_test"));
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(read["state"]!.GetValue<string>(), Is.EqualTo("22"));
        Assert.That(read["context"]!["user_id"], Is.Not.Null);
    }

    [TestCase("""{"attributes":{}}""", "No state specified.")]
    [TestCase("""{"state":"on",""", "Invalid JSON specified.")]
    [TestCase("""{"state":{"nested":1}}""", "\"state\" must be a string")]
    [TestCase("""{"state":"on","attributes":[1]}""", "\"attributes\" must be a JSON object")]
    [TestCase("""["state"]""", "Invalid JSON specified")]
    [TestCase("", "The request body is empty")]
    public async Task PostState_BadBody_Is400WithMessage(string body, string expected)
    {
        var response = await Owner.PostAsync("api/states/sensor.bad_input", TestHub.Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain(expected));
    }

    [Test]
    public async Task PostState_StateTooLong_Is400NamingLimit()
    {
        var response = await Owner.PostAsync("api/states/sensor.long", TestHub.Json($$"""{"state":"{{new string('x', 256)}}"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain("255"));
    }

    [Test]
    public async Task PostState_InvalidEntityId_Is400WithExample()
    {
        var response = await Owner.PostAsync("api/states/Not%20Valid", TestHub.Json("""{"state":"1"}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain("domain.object_id"));
    }

    [Test]
    public async Task PostState_HugeBody_Is413AndServerKeepsRunning()
    {
        var huge = "{\"state\":\"on\",\"attributes\":{\"blob\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";

        var response = await Owner.PostAsync("api/states/sensor.huge", TestHub.Json(huge));
        var after = await Owner.GetAsync("api/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task GetState_Unknown_Is404()
    {
        var response = await Owner.GetAsync("api/states/sensor.does_not_exist");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain("sensor.does_not_exist"));
    }

    [Test]
    public async Task DeleteState_ExistingThenAgain_200Then404()
    {
        await Owner.PostAsync("api/states/sensor.to_delete", TestHub.Json("""{"state":"x"}"""));

        var first = await Owner.DeleteAsync("api/states/sensor.to_delete");
        var second = await Owner.DeleteAsync("api/states/sensor.to_delete");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task GetServices_ListsDomainsWithServices()
    {
        var services = (await TestHub.JsonAsync(await Owner.GetAsync("api/services"))).AsArray();
        var inputBoolean = services.Single(s => s!["domain"]!.GetValue<string>() == "input_boolean");

        Assert.That(inputBoolean!["services"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "turn_on", "turn_off", "toggle" }));
    }

    [Test]
    public async Task CallService_Toggle_ReturnsChangedStates()
    {
        var before = (await TestHub.JsonAsync(await Owner.GetAsync("api/states/input_boolean.porch")))["state"]!.GetValue<string>();

        var response = await Owner.PostAsync("api/services/input_boolean/toggle", TestHub.Json("""{"entity_id":"input_boolean.porch"}"""));
        var changed = (await TestHub.JsonAsync(response)).AsArray();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(changed.Single()!["entity_id"]!.GetValue<string>(), Is.EqualTo("input_boolean.porch"));
        Assert.That(changed.Single()!["state"]!.GetValue<string>(), Is.Not.EqualTo(before));
    }

    [Test]
    public async Task CallService_Unknown_Is404ListingAlternatives()
    {
        var response = await Owner.PostAsync("api/services/input_boolean/explode", TestHub.Json("{}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain("toggle"));
    }

    [Test]
    public async Task CallService_WrongFieldType_Is400NamingField()
    {
        var response = await Owner.PostAsync("api/services/persistent_notification/create", TestHub.Json("""{"message":42}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain("\"message\" must be a string"));
    }

    [Test]
    public async Task FireEvent_WithData_SaysFired()
    {
        var response = await Owner.PostAsync("api/events/door_opened", TestHub.Json("""{"door":"front"}"""));

        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Is.EqualTo("Event door_opened fired."));
    }

    [Test]
    public async Task FireEvent_DataNotObject_Is400()
    {
        var response = await Owner.PostAsync("api/events/door_opened", TestHub.Json("[1,2]"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ForwardedFor_FromUntrustedPeer_Is400NamingSetting()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/");
        request.Headers.Add("X-Forwarded-For", "192.168.1.50");

        var response = await Owner.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await TestHub.JsonAsync(response))["message"]!.GetValue<string>(), Does.Contain("http.trusted_proxies"));
    }
}
