// @ts-check
// System: version and configuration as the hub reports them, the supply voltage over the last 30
// days and the brownouts in it (from history, where the hub has both), and what this page cannot
// show yet.
import { html, nothing } from "lit";
import { View, notice } from "../lib/element.js";
import { send } from "../lib/ws.js";
import { loadPower, renderPower } from "./system-power.js";

class PiHubSystem extends View {
  static properties = {
    session: { attribute: false },
    _config: { state: true },
    _power: { state: true },
    _error: { state: true },
  };

  constructor() {
    super();
    /** @type {import("../lib/session.js").Session} */
    this.session;
  }

  connectedCallback() {
    super.connectedCallback();
    this._load();
  }

  async _load() {
    const conn = this.session.conn;
    try {
      this._config = await send(conn, { type: "get_config" });
      const states = await send(conn, { type: "get_states" });
      this._power = await loadPower(this.session, states);
    } catch (error) {
      this._error = error;
    }
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
    return html`<section class="card" aria-labelledby="power-title"><h2 id="power-title">Power</h2>${renderPower(this._power)}</section>`;
  }
}

customElements.define("pihub-system", PiHubSystem);
