using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PiHub.Core.Power;
using PiHub.Server.Auth;
using PiHub.Configuration;
using PiHub.Server.Http;

namespace PiHub.Server.Power;

/// <summary>
/// PiHub's own power endpoints: <c>GET /api/pihub/power</c> (status, the supply monitor configured and in use, and
/// brownout records, newest first), and in
/// dev mode, for an administrator, <c>POST /api/pihub/power/simulate</c> (fail or restore the
/// simulated power-fail line) and <c>POST /api/pihub/gpio/{pin}</c> (drive a simulated input).
/// </summary>
public static class PowerEndpoints
{
    /// <summary>The code of a simulation asked for on real hardware.</summary>
    public const string DevModeOnlyCode = PowerSimulator.DevModeOnlyCode;

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
        // What the System page needs to say truthfully why there is (or is not) a voltage plot.
        w.WriteString("voltage_source_config", power.ConfiguredVoltageSource);
        w.WriteString("voltage_source", power.VoltageSourceName);
        w.WriteBoolean("measures_volts", power.MeasuresVolts);
        // Whether binary_sensor.under_voltage can be reported here, and why not (e.g. Debian's kernel has no detector).
        if (power.UnderVoltage is { } underVoltage)
        {
            w.WriteStartObject("under_voltage");
            w.WriteBoolean("available", underVoltage.Available);
            w.WriteString("text", underVoltage.Text);
            w.WriteEndObject();
        }

        w.WriteStartArray("brownouts");
        foreach (var b in power.Brownouts.Reverse())
        {
            w.WriteRawValue(BrownoutLog.ToJson(b));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static async Task<IResult> SimulatePowerAsync(HttpContext context, PiHubOptions options, PowerSimulator simulator, CancellationToken cancellationToken)
    {
        var (doc, error) = await RequestJson.ReadAsync(context, options.Http.MaxBodyBytes, null, cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        using (doc)
        {
            var state = doc!.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (state is not ("fail" or "restore"))
            {
                return ApiResults.BadRequest("Send {\"state\": \"fail\"} to simulate a power failure or {\"state\": \"restore\"} to bring power back.");
            }

            try
            {
                var done = await simulator.SetPowerAsync(state == "fail", cancellationToken).ConfigureAwait(false);
                return ApiResults.Json(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("state", done.State);
                    w.WriteBoolean("failing", done.Failing);
                    if (done.Flush is { } f) w.WriteNumber("flush_ms", Math.Round(f.TotalMilliseconds, 3));
                    w.WriteString("message", done.Message);
                    w.WriteEndObject();
                });
            }
            catch (PowerSimulationException ex)
            {
                return Refused(ex);
            }
        }
    }

    private static async Task<IResult> SetSimulatedInputAsync(int pin, HttpContext context, PiHubOptions options, PowerSimulator simulator, CancellationToken cancellationToken)
    {
        var (doc, error) = await RequestJson.ReadAsync(context, options.Http.MaxBodyBytes, null, cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        using (doc)
        {
            var level = doc!.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("level", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            if (level is not ("high" or "low")) return ApiResults.BadRequest("Send {\"level\": \"high\"} or {\"level\": \"low\"}.");
            try
            {
                return ApiResults.Message(await simulator.SetInputAsync(pin, level == "high", cancellationToken).ConfigureAwait(false));
            }
            catch (PowerSimulationException ex)
            {
                return Refused(ex);
            }
        }
    }

    private static IResult Refused(PowerSimulationException ex) => ex.Code switch
    {
        PowerSimulator.DevModeOnlyCode => ApiResults.Error(StatusCodes.Status403Forbidden, ex.Code, ex.Message),
        PowerSimulator.NoFailPinCode => ApiResults.Error(StatusCodes.Status409Conflict, ex.Code, ex.Message),
        _ => ApiResults.BadRequest(ex.Message, ex.Code),
    };
}
