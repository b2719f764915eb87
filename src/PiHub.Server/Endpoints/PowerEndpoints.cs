using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PiHub.Core.Hub;
using PiHub.Core.Power;
using PiHub.Hardware.Simulation;
using PiHub.Server.Api;
using PiHub.Server.Configuration;

namespace PiHub.Server.Endpoints;

/// <summary>
/// PiHub's own power endpoints: <c>GET /api/pihub/power</c> (status and brownout records), and in
/// dev mode, for an administrator, <c>POST /api/pihub/power/simulate</c> (fail or restore the
/// simulated power-fail line) and <c>POST /api/pihub/gpio/{pin}</c> (drive a simulated input).
/// </summary>
public static class PowerEndpoints
{
    /// <summary>The code of a simulation asked for on real hardware.</summary>
    public const string DevModeOnlyCode = "dev_mode_only";

    public static IEndpointRouteBuilder MapPowerEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pihub").RequireApiUser();
        api.MapGet("/power", GetPower);
        api.MapPost("/power/simulate", SimulatePowerAsync).RequireAdmin();
        api.MapPost("/gpio/{pin}", SetSimulatedInputAsync).RequireAdmin();
        return app;
    }

    private static IResult GetPower(PowerManager power, WriteGate gate) => ApiResults.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("monitoring", power.Monitoring);
        w.WriteBoolean("failing", power.IsFailing);
        w.WriteBoolean("writes_paused", gate.IsPaused);
        w.WriteString("status", power.StatusText);
        w.WriteStartArray("brownouts");
        foreach (var b in power.Brownouts.Reverse())
        {
            w.WriteRawValue(BrownoutLog.ToJson(b));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static async Task<IResult> SimulatePowerAsync(HttpContext context, PiHubOptions options, PowerManager power, CancellationToken cancellationToken)
    {
        if (Simulated(context, options) is not { } sim) return NotSimulated("Power failures");
        if (options.Power.FailPin is not { } pin)
        {
            return ApiResults.Message("This hub has no power-fail pin to simulate: set power.fail_pin (e.g. pin: 6) and start PiHub again.", StatusCodes.Status409Conflict);
        }

        var (doc, error) = await RequestJson.ReadAsync(context, options.Http.MaxBodyBytes, null, cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        using (doc)
        {
            var state = doc!.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (state is not ("fail" or "restore"))
            {
                return ApiResults.BadRequest("Send {\"state\": \"fail\"} to simulate a power failure or {\"state\": \"restore\"} to bring power back.");
            }

            var failing = state == "fail";
            sim.Gpio.SetInput(pin.Pin, failing != pin.ActiveLow);
            await sim.Gpio.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            var flush = failing ? await power.LastFlush.WaitAsync(cancellationToken).ConfigureAwait(false) : (TimeSpan?)null;
            return ApiResults.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("state", state);
                w.WriteBoolean("failing", power.IsFailing);
                if (flush is { } f) w.WriteNumber("flush_ms", Math.Round(f.TotalMilliseconds, 3));
                w.WriteString("message", failing
                    ? $"The simulated power-fail line (GPIO {pin.Pin}) is asserted: changes are paused and the stores flushed."
                    : $"The simulated power-fail line (GPIO {pin.Pin}) is released: changes resume after {options.Power.Recovery.TotalSeconds:0.#} s of good power.");
                w.WriteEndObject();
            });
        }
    }

    private static async Task<IResult> SetSimulatedInputAsync(int pin, HttpContext context, PiHubOptions options, CancellationToken cancellationToken)
    {
        if (Simulated(context, options) is not { } sim) return NotSimulated("GPIO inputs");
        if (pin is < 0 or >= SimulatedGpioDriver.Lines) return ApiResults.BadRequest($"GPIO {pin} does not exist on the simulated chip (0 to {SimulatedGpioDriver.Lines - 1}).");
        var (doc, error) = await RequestJson.ReadAsync(context, options.Http.MaxBodyBytes, null, cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        using (doc)
        {
            var level = doc!.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("level", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            if (level is not ("high" or "low")) return ApiResults.BadRequest("Send {\"level\": \"high\"} or {\"level\": \"low\"}.");
            sim.Gpio.SetInput(pin, level == "high");
            await sim.Gpio.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return ApiResults.Message($"Simulated GPIO {pin} is now {level}.");
        }
    }

    private static SimulatedHardware? Simulated(HttpContext context, PiHubOptions options) =>
        options.Power.Simulate ? context.RequestServices.GetRequiredService<SimulatedHardware>() : null;

    private static IResult NotSimulated(string what) => ApiResults.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("message", $"{what} can be simulated only in dev mode, where PiHub runs on simulated hardware (started without a config file, or with power.simulate: true). This hub uses its real hardware; nothing was changed.");
        w.WriteString("code", DevModeOnlyCode);
        w.WriteEndObject();
    }, StatusCodes.Status403Forbidden);
}
