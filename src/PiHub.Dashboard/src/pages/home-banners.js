// @ts-check
// Banners on top of Home for what needs the owner's attention now. The power entities are the
// ones the hub's power monitor publishes (binary_sensor.power_fail, binary_sensor.under_voltage);
// on a hub without power monitoring they do not exist and no banner shows.
import { html, nothing } from "lit";

export function banners(entities, notifications) {
  const items = [];
  if (entities?.["binary_sensor.power_fail"]?.state === "on") {
    items.push(html`<div class="notice error" role="alert">
      <strong>Power is failing</strong>
      <p>The hub has paused changes until power is back; reading still works. Check the power supply or UPS.</p>
    </div>`);
  }
  if (entities?.["binary_sensor.under_voltage"]?.state === "on") {
    const volts = entities["sensor.supply_voltage"];
    items.push(html`<div class="notice warn" role="alert">
      <strong>Under-voltage</strong>
      <p>The supply is too weak${volts ? ` (${volts.state} ${volts.attributes.unit_of_measurement ?? "V"})` : ""}: use the
        official power supply or a shorter, thicker cable, or the SD card may be damaged.</p>
    </div>`);
  }
  const recovered = notifications?.find((n) => n.notification_id === "auth_store_recovery");
  if (recovered) {
    items.push(html`<div class="notice warn" role="alert">
      <strong>User database restored from a snapshot</strong>
      <p>At start-up the hub found its user database damaged and restored the newest good snapshot. Read the
        notification below for what was lost, re-create it, then dismiss the notification.</p>
    </div>`);
  }
  return items.length ? items : nothing;
}
