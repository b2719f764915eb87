// System: version and configuration as the hub reports them, the supply voltage over the last 30
// days and the brownouts in it (from history, where the hub has both), and what this page cannot
// show yet.
import { html, nothing, svg } from "lit";
import { View, notice } from "../lib/element.js";
import { send, sendOptional } from "../lib/ws.js";
import { formatTime } from "../lib/time.js";

const VOLTAGE = "sensor.supply_voltage";
const POWER_FAIL = "binary_sensor.power_fail";
const UNDER_VOLTAGE = "binary_sensor.under_voltage";
const DAYS = 30;

class PiHubSystem extends View {
  static properties = {
    session: { attribute: false },
    _config: { state: true },
    _power: { state: true },
    _error: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this._load();
  }

  async _load() {
    const conn = this.session.conn;
    try {
      this._config = await send(conn, { type: "get_config" });
      const states = await send(conn, { type: "get_states" });
      this._power = await this._powerHistory(conn, states);
    } catch (error) {
      this._error = error;
    }
  }

  /** {status, current, points, brownouts}: status is none | no-history | ok. */
  async _powerHistory(conn, states) {
    const ids = [VOLTAGE, POWER_FAIL, UNDER_VOLTAGE].filter((id) => states.some((s) => s.entity_id === id));
    if (ids.length === 0) return { status: "none" };
    const current = states.find((s) => s.entity_id === VOLTAGE);
    const start = new Date(Date.now() - DAYS * 86400e3).toISOString();
    const history = await sendOptional(conn, {
      type: "history/history_during_period",
      start_time: start,
      entity_ids: ids,
      minimal_response: true,
      no_attributes: true,
    });
    if (history === undefined) return { status: "no-history", current };
    const points = (history[VOLTAGE] ?? [])
      .map((row) => ({ t: row.lu * 1000, v: Number(row.s) }))
      .filter((p) => Number.isFinite(p.v));
    const brownouts = [POWER_FAIL, UNDER_VOLTAGE].flatMap((id) =>
      (history[id] ?? []).filter((row, i, rows) => row.s === "on" && rows[i - 1]?.s !== "on").map((row) => ({ id, t: row.lu * 1000 })),
    );
    return { status: "ok", current, points, brownouts };
  }

  render() {
    const c = this._config;
    return html`<div class="page-title"><h1 tabindex="-1">System</h1></div>
      ${this._error ? notice("error", this._error) : nothing}
      <div class="grid two">
        <section class="card" aria-labelledby="about-title">
          <h2 id="about-title">This hub</h2>
          ${c
            ? html`<dl class="facts" data-testid="system-facts">
                <dt>Name</dt><dd>${c.location_name}</dd>
                <dt>PiHub version</dt><dd data-testid="version">${c.pihub_version ?? "unknown"}</dd>
                <dt>API version</dt><dd>Home Assistant ${c.version}</dd>
                <dt>State</dt><dd>${c.state}</dd>
                <dt>Time zone</dt><dd>${c.time_zone}</dd>
                <dt>Units</dt><dd>${c.unit_system?.temperature === "°F" ? "US customary" : "Metric"}</dd>
                <dt>Configuration folder</dt><dd class="mono">${c.config_dir}</dd>
                <dt>Components</dt><dd>${(c.components ?? []).join(", ")}</dd>
              </dl>`
            : html`<p class="muted">Loading…</p>`}
        </section>
        ${this._powerCard()}
        <section class="card" aria-labelledby="store-title">
          <h2 id="store-title">User database</h2>
          <p>Store health, generation and snapshots are not available on this hub yet. At every start the hub checks its
            user database and, if it is damaged, restores the newest good snapshot and leaves a notification on the
            Home page saying what was lost.</p>
        </section>
        <section class="card" aria-labelledby="cannot-title">
          <h2 id="cannot-title">What this page cannot do</h2>
          <p>Changing the configuration (network, trusted networks, input booleans, power monitoring) means editing
            the configuration file on the hub and restarting it. A locked-out owner recovers over SSH on the hub
            itself, which is never banned; the README's recovery playbook lists each case.</p>
        </section>
      </div>`;
  }

  _powerCard() {
    const p = this._power;
    let body;
    if (!p) body = html`<p class="muted">Loading…</p>`;
    else if (p.status === "none") {
      body = html`<p>Power monitoring is not configured on this hub: it has no supply-voltage or power-fail sensor.</p>`;
    } else if (p.status === "no-history") {
      body = html`<p>History is not available on this hub yet, so there is no plot of the last ${DAYS} days.
          ${p.current ? html`The supply voltage now is <strong>${p.current.state} ${p.current.attributes.unit_of_measurement ?? "V"}</strong>.` : nothing}</p>`;
    } else {
      body = html`${this._chart(p.points)}
        <p>${p.brownouts.length === 0
          ? `No brownouts in the last ${DAYS} days.`
          : `${p.brownouts.length} brownout${p.brownouts.length === 1 ? "" : "s"} in the last ${DAYS} days:`}</p>
        <ul class="list small">${p.brownouts.slice(-10).map((b) => html`<li>${formatTime(b.t)} · ${b.id === POWER_FAIL ? "power fail" : "under-voltage"}</li>`)}</ul>`;
    }
    return html`<section class="card" aria-labelledby="power-title"><h2 id="power-title">Power</h2>${body}</section>`;
  }

  _chart(points) {
    if (points.length < 2) return html`<p class="muted">Not enough voltage readings yet for a plot.</p>`;
    const w = 600;
    const h = 180;
    const pad = 32;
    const t0 = Date.now() - DAYS * 86400e3;
    const t1 = Date.now();
    const values = points.map((p) => p.v);
    const lo = Math.min(...values) - 0.05;
    const hi = Math.max(...values) + 0.05;
    const x = (t) => pad + ((t - t0) / (t1 - t0)) * (w - pad - 8);
    const y = (v) => h - pad + 8 - ((v - lo) / (hi - lo)) * (h - pad);
    const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join("");
    return html`<svg class="chart" viewBox="0 0 ${w} ${h}" role="img"
      aria-label="Supply voltage over the last ${DAYS} days, from ${lo.toFixed(2)} to ${hi.toFixed(2)} volts">
      ${svg`<line class="axis" x1=${pad} y1=${h - pad + 8} x2=${w - 8} y2=${h - pad + 8}></line>
        <line class="axis" x1=${pad} y1="8" x2=${pad} y2=${h - pad + 8}></line>
        <text x="2" y="14">${hi.toFixed(2)} V</text><text x="2" y=${h - pad + 8}>${lo.toFixed(2)} V</text>
        <text x=${pad} y=${h - 6}>${DAYS} days ago</text><text x=${w - 40} y=${h - 6}>now</text>
        <path class="line" d=${path}></path>`}
    </svg>`;
  }
}

customElements.define("pihub-system", PiHubSystem);
