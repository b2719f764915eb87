// @ts-check
// Long-lived access tokens for scripts, Tasker and the like: create (shown once, with copy and
// ready-made curl and Tasker recipes), list with last use, revoke.
import { html, nothing } from "lit";
import { View, copyText, notice } from "../lib/element.js";
import { send } from "../lib/ws.js";
import { formatTime } from "../lib/time.js";

class PiHubTokensCard extends View {
  static properties = {
    session: { attribute: false },
    tokens: { attribute: false },
    _created: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  constructor() {
    super();
    /** @type {import("../lib/session.js").Session} */
    this.session;
    /** @type {{ id: string, type: string, client_name: string | null, created_at: string, last_used_at: string | null, last_used_ip?: string | null, expire_at?: string | null }[] | undefined} */
    this.tokens;
  }

  _changed() {
    this.dispatchEvent(new CustomEvent("tokens-changed", { bubbles: true }));
  }

  async _create(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const name = String(form.get("client_name")).trim();
    this._busy = true;
    try {
      const token = await send(this.session.conn, {
        type: "auth/long_lived_access_token",
        client_name: name,
        lifespan: Number(form.get("lifespan")),
      });
      this._created = { name, token };
      this._error = null;
      event.target.reset();
      this._changed();
      await this.updateComplete;
      this._focus("#new-token");
    } catch (error) {
      this._error = error;
    } finally {
      this._busy = false;
    }
  }

  async _revoke(token) {
    try {
      await send(this.session.conn, { type: "auth/delete_refresh_token", refresh_token_id: token.id });
      this._changed();
    } catch (error) {
      this._error = error;
    }
  }

  render() {
    const tokens = (this.tokens ?? []).filter((t) => t.type === "long_lived_access_token");
    return html`<section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Long-lived access tokens</h2>
      <p class="muted small">For scripts, Tasker and other programs: each request carries the header
        <span class="mono">Authorization: Bearer &lt;token&gt;</span>. A token acts as you, with your rights.</p>
      ${this._error ? notice("error", this._error) : nothing}
      ${this._created ? this._createdView(this._created) : this._form()}
      <ul class="list">
        ${tokens.map(
          (t) => html`<li data-testid="token">
            <div class="grow">
              <strong>${t.client_name}</strong>
              <div class="muted small">Created ${formatTime(t.created_at)} · last used ${formatTime(t.last_used_at)}${
                t.last_used_ip ? ` from ${t.last_used_ip}` : ""}${t.expire_at ? ` · expires ${formatTime(t.expire_at)}` : ""}</div>
            </div>
            <pihub-confirm label="Revoke" question="Revoke this token?" yes="Revoke"
              for-what="token ${t.client_name}" @confirm=${() => this._revoke(t)}></pihub-confirm>
          </li>`,
        )}
      </ul>
      ${this.tokens && tokens.length === 0 ? html`<p class="muted small">No long-lived tokens yet.</p>` : nothing}
    </section>`;
  }

  _form() {
    return html`<form @submit=${this._create}>
      <div class="field"><label for="client_name">Name</label>
        <input id="client_name" name="client_name" type="text" required placeholder="e.g. Tasker on my phone" /></div>
      <div class="field"><label for="lifespan">Valid for (days)</label>
        <input id="lifespan" name="lifespan" type="number" min="1" max="3650" value="3650" required /></div>
      <button class="primary" type="submit" ?disabled=${this._busy}>Create token</button>
    </form>`;
  }

  /** @param {{ name: string, token: string }} created */
  _createdView({ name, token }) {
    const origin = location.origin;
    const curl = `curl -s -H "Authorization: Bearer ${token}" ${origin}/api/states`;
    return html`${notice("warn", `Copy the token for "${name}" now: the hub keeps only a hash of it, so it cannot be shown again.`)}
      <div class="field"><label for="new-token">Token</label>
        <textarea id="new-token" class="mono" readonly rows="4" data-testid="new-token">${token}</textarea></div>
      <div class="row">
        <button class="primary" @click=${(e) => copyText(e.currentTarget, token)}>Copy token</button>
      </div>
      <h3>Try it with curl</h3>
      <pre data-testid="curl-snippet">${curl}</pre>
      <button class="small" @click=${(e) => copyText(e.currentTarget, curl)}>Copy curl command</button>
      <h3>Tasker</h3>
      <p class="small">Action <em>Net → HTTP Request</em>: Method <span class="mono">POST</span>, URL
        <span class="mono">${origin}/api/services/input_boolean/toggle</span>, Headers
        <span class="mono">Authorization: Bearer &lt;the token&gt;</span> and
        <span class="mono">Content-Type: application/json</span>, Body
        <span class="mono">{"entity_id": "input_boolean.porch"}</span> (use your entity's id).</p>
      <button @click=${() => (this._created = null)}>Done, I have copied it</button>`;
  }
}

customElements.define("pihub-tokens-card", PiHubTokensCard);
