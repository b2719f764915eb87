using System.Globalization;
using System.Text.Json;
using PiHub.Core.Hub;

namespace PiHub.Core.Power;

/// <summary>The power entities and their attributes, as Home Assistant's sensors spell them.</summary>
public sealed class PowerEntities(StateMachine states)
{
    public const string PowerFail = "binary_sensor.power_fail";
    public const string UnderVoltage = "binary_sensor.under_voltage";
    public const string SupplyVoltage = "sensor.supply_voltage";
    public const string SupplyCurrent = "sensor.supply_current";
    public const string BrownoutsToday = "sensor.brownouts_today";

    /// <summary>On while the power-fail signal (pin or low reading) is bad; <c>writes_paused</c> says whether the stores refuse changes.</summary>
    public void SetPowerFail(bool failing, bool writesPaused, string source) =>
        states.Set(PowerFail, failing ? "on" : "off", Attributes(w =>
        {
            w.WriteString("device_class", "problem");
            w.WriteBoolean("writes_paused", writesPaused);
            w.WriteString("source", source);
            w.WriteString("friendly_name", "Power fail");
            w.WriteString("icon", "mdi:power-plug-off");
        }));

    public void SetUnderVoltage(bool? underVoltage, string source, bool? occurredSinceBoot) =>
        states.Set(UnderVoltage, underVoltage is null ? "unavailable" : underVoltage.Value ? "on" : "off", Attributes(w =>
        {
            w.WriteString("device_class", "problem");
            w.WriteString("source", source);
            if (occurredSinceBoot is { } occurred) w.WriteBoolean("occurred_since_boot", occurred);
            w.WriteString("friendly_name", "Under-voltage");
        }));

    public void SetVoltage(double? volts, string source) =>
        states.Set(SupplyVoltage, Number(volts, "F2"), Attributes(w =>
        {
            w.WriteString("unit_of_measurement", "V");
            w.WriteString("device_class", "voltage");
            w.WriteString("state_class", "measurement");
            w.WriteString("source", source);
            w.WriteString("friendly_name", "Supply voltage");
        }));

    public void SetCurrent(double? amps, string source) =>
        states.Set(SupplyCurrent, Number(amps, "F3"), Attributes(w =>
        {
            w.WriteString("unit_of_measurement", "A");
            w.WriteString("device_class", "current");
            w.WriteString("state_class", "measurement");
            w.WriteString("source", source);
            w.WriteString("friendly_name", "Supply current");
        }));

    public void SetBrownoutsToday(int count, Brownout? last) =>
        states.Set(BrownoutsToday, count.ToString(CultureInfo.InvariantCulture), Attributes(w =>
        {
            w.WriteString("state_class", "total");
            if (last is not null)
            {
                w.WriteString("last_start", HubJson.FormatTime(last.Start));
                w.WriteNumber("last_duration_s", Math.Round(last.Duration.TotalSeconds, 1));
            }

            w.WriteString("friendly_name", "Brownouts today");
            w.WriteString("icon", "mdi:flash-alert");
        }));

    private static string Number(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "unavailable";

    private static JsonElement Attributes(Action<Utf8JsonWriter> write)
    {
        var json = HubJson.ToBytes(write, static (w, f) =>
        {
            w.WriteStartObject();
            f(w);
            w.WriteEndObject();
        });
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
