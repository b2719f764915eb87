// @ts-check
// The System page's power card: the supply voltage over the last 30 days as an SVG plot built here
// (no chart library; the CSP allows no inline script) with a text summary for screen readers and
// everyone else, and the brownouts the hub recorded (GET /api/pihub/power). When there is no
// voltage to plot, it says why, in terms of the hub's own configuration.
import { html, nothing, svg } from "lit";
import { sendOptional } from "../lib/ws.js";
import { apiGet } from "../lib/http.js";
import { formatTime } from "../lib/time.js";

const VOLTAGE = "sensor.supply_voltage";
const POWER_FAIL = "binary_sensor.power_fail";
const UNDER_VOLTAGE = "binary_sensor.under_voltage";
export const DAYS = 30;

/** {status, monitoring, underVoltage, points, brownouts, why}; status is "volts" (a plot), "no-volts" or "no-history". */
export async function loadPower(session, states) {
  const now = Date.now();
  const since = now - DAYS * 86400e3;
  const status = await apiGet(session.auth, "/api/pihub/power");
  const brownouts = (status.brownouts ?? [])
    .map((b) => ({ ...b, startMs: Date.parse(b.start), endMs: Date.parse(b.end) }))
    .filter((b) => b.endMs >= since)
    .sort((a, b) => a.startMs - b.startMs);
  const base = { monitoring: status.monitoring, underVoltage: status.under_voltage, brownouts, now };
  if (!status.measures_volts || !states.some((s) => s.entity_id === VOLTAGE)) {
    return { ...base, status: "no-volts", why: whyNoVolts(status) };
  }
  const history = await sendOptional(session.conn, {
    type: "history/history_during_period",
    start_time: new Date(since).toISOString(),
    entity_ids: [VOLTAGE, POWER_FAIL, UNDER_VOLTAGE].filter((id) => states.some((s) => s.entity_id === id)),
    minimal_response: true,
    no_attributes: true,
  });
  if (history === undefined) return { ...base, status: "no-history", current: states.find((s) => s.entity_id === VOLTAGE) };
  const points = (history[VOLTAGE] ?? [])
    .map((row) => ({ t: Math.max(row.lu * 1000, since), v: Number(row.s) }))
    .filter((p) => Number.isFinite(p.v));
  return { ...base, status: "volts", points };
}

/** Why there is no voltage plot, true to power.voltage.source and what the hub found at start-up. */
function whyNoVolts(status) {
  const configured = status.voltage_source_config;
  if (configured === "none") return "Supply voltage is not monitored on this hub (power.voltage.source: none).";
  if (status.voltage_source) {
    return `Supply voltage is not measured on this hub: its supply monitor, ${status.voltage_source}, only reports
      under-voltage (power.voltage.source: ${configured}). An INA219 (power.voltage.source: ina219, or auto when one is
      fitted) measures volts.`;
  }
  return `Supply voltage is not monitored on this hub: power.voltage.source is ${configured}, but no such supply monitor
    was found when the hub started (the hub's log says why).`;
}

/** The card's content for `power` (undefined while loading). */
export function renderPower(power) {
  if (!power) return html`<p class="muted">Loading…</p>`;
  const count = power.brownouts.length;
  const brownoutText = `${count === 0 ? "No" : count} brownout${count === 1 ? "" : "s"} in the last ${DAYS} days`;
  let voltage;
  if (power.status === "no-volts") voltage = html`<p data-testid="voltage-summary">${power.why}</p>`;
  else if (power.status === "no-history") {
    voltage = html`<p data-testid="voltage-summary">History is not available on this hub, so there is no plot of the last ${DAYS} days.
      ${power.current ? html`The supply voltage now is <strong>${power.current.state} V</strong>.` : nothing}</p>`;
  } else voltage = chart(power, brownoutText);
  const watching = power.monitoring === "no power monitoring"
    ? "Nothing signals power failures to this hub (no power-fail pin or supply monitor was found)."
    : `Watching: ${power.monitoring}.`;
  // The hub says whether binary_sensor.under_voltage can be reported here and why not (Debian's kernel has no detector).
  const underVoltage = power.underVoltage
    ? html`<p class="muted small" data-testid="under-voltage">${power.underVoltage.text.replace(/^u/, "U")}.</p>`
    : nothing;
  return html`<p class="muted small" data-testid="power-monitoring">${watching}</p>
    ${underVoltage}
    ${voltage}
    <h3 class="small">Brownouts in the last ${DAYS} days</h3>
    ${count
      ? html`<ul class="list small" data-testid="brownouts">
          ${power.brownouts.slice(-10).reverse().map((b) => html`<li data-testid="brownout">${brownoutLine(b)}</li>`)}
        </ul>
        ${count > 10 ? html`<p class="muted small">The 10 latest of ${count} are listed.</p>` : nothing}`
      : html`<p class="small">None.</p>`}`;
}

function brownoutLine(b) {
  const seconds = Math.max(0, Math.round((b.endMs - b.startMs) / 1000));
  const length = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  const low = b.lowest_volts == null ? "" : `, lowest ${b.lowest_volts.toFixed(2)} V`;
  const refused = b.refused_total ? `, ${b.refused_total} change${b.refused_total === 1 ? "" : "s"} refused` : "";
  return `${formatTime(new Date(b.startMs))}: ${length}, ${b.cause}${low}${refused}${b.shutdown_requested ? ", shutdown requested" : ""}`;
}

function chart(power, brownoutText) {
  const { points, now } = power;
  if (points.length === 0) {
    return html`<p data-testid="voltage-summary">No supply-voltage readings in the last ${DAYS} days yet.</p>`;
  }
  const values = points.map((p) => p.v);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const last = values.at(-1);
  const summary = `Supply voltage over the last ${DAYS} days: lowest ${min.toFixed(2)} V, highest ${max.toFixed(2)} V,
    now ${last.toFixed(2)} V (${points.length} reading${points.length === 1 ? "" : "s"}). ${brownoutText}.`;
  const w = 600;
  const h = 180;
  const pad = 40;
  const t0 = now - DAYS * 86400e3;
  const lo = min - 0.05;
  const hi = max + 0.05;
  const x = (t) => pad + ((t - t0) / (now - t0)) * (w - pad - 8);
  const y = (v) => h - 24 - ((v - lo) / (hi - lo)) * (h - 32);
  // A reading holds until the next one: steps, continued to now.
  let d = `M${x(points[0].t).toFixed(1)},${y(points[0].v).toFixed(1)}`;
  for (let i = 1; i < points.length; i++) d += `H${x(points[i].t).toFixed(1)}V${y(points[i].v).toFixed(1)}`;
  d += `H${x(now).toFixed(1)}`;
  const marks = power.brownouts.map((b) => x(Math.max(b.startMs, t0)).toFixed(1));
  return html`<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="voltage-summary" data-testid="voltage-chart">
      ${svg`<line class="axis" x1=${pad} y1=${h - 24} x2=${w - 8} y2=${h - 24}></line>
        <line class="axis" x1=${pad} y1="8" x2=${pad} y2=${h - 24}></line>
        <text x="2" y="16">${hi.toFixed(2)} V</text><text x="2" y=${h - 24}>${lo.toFixed(2)} V</text>
        <text x=${pad} y=${h - 6}>${DAYS} days ago</text><text x=${w - 32} y=${h - 6}>now</text>
        ${marks.map((mx) => svg`<line class="brownout" x1=${mx} y1="8" x2=${mx} y2=${h - 24}></line>`)}
        <path class="line" d=${d}></path>
        ${(points.length <= 60 ? points : [points.at(-1)]).map((p) => svg`<circle class="dot" cx=${x(p.t).toFixed(1)} cy=${y(p.v).toFixed(1)} r="3"></circle>`)}`}
    </svg>
    <p id="voltage-summary" data-testid="voltage-summary">${summary}</p>`;
}
