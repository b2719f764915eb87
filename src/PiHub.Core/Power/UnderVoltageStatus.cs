namespace PiHub.Core.Power;

/// <summary>
/// Whether <c>binary_sensor.under_voltage</c> can be reported on this hub, and the one line that says so or why not
/// (the start-up log, <c>pihub-cli status</c>, the System page).
/// </summary>
/// <param name="Available">True when a supply monitor that reports under-voltage is in use.</param>
/// <param name="Text">"under-voltage: …", one line.</param>
public sealed record UnderVoltageStatus(bool Available, string Text);
