// @ts-check
// Security (administrators): active IP bans with the time left and a lift button, webhooks
// (create, copy URL and signing recipe, delete), and what can be said about trusted networks.
import { html, nothing } from "lit";
import { View, copyText, notice } from "../lib/element.js";
import { request } from "../lib/http.js";
import { send } from "../lib/ws.js";
import { formatTime, fromNow } from "../lib/time.js";
import "../lib/confirm.js";

function randomSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

class PiHubSecurity extends View {
  static properties = {
    session: { attribute: false },
    _bans: { state: true },
    _webhooks: { state: true },
    _created: { state: true },
    _trusted: { state: true },
    _error: { state: true },
    _result: { state: true },
    _busy: { state: true },
  };

  constructor() {
    super();
    /** @type {import("../lib/session.js").Session} */
    this.session;
  }

  connectedCallback() {
    super.connectedCallback();
    this._load();
    request("/auth/providers").then(
      ({ body }) => (this._trusted = body.providers.some((p) => p.type === "trusted_networks")),
      () => (this._trusted = null),
    );
  }

  async _load() {
    try {
      const [bans, webhooks] = await Promise.all([
        send(this.session.conn, { type: "pihub/bans/list" }),
        send(this.session.conn, { type: "pihub/webhook/list" }),
      ]);
      this._bans = bans;
      this._webhooks = webhooks;
    } catch (error) {
      this._error = error;
    }
  }

  /**
   * Runs a change, then says what happened (or the hub's refusal) and reloads the page's lists.
   * @param {string} text @param {() => Promise<unknown>} action
   */
  _do(text, action) {
    return this._act(action, { done: text, after: () => this._load() });
  }


  _lift(ban) {
    return this._do(`The ban of ${ban.address} is lifted; it can log in again.`, () =>
      send(this.session.conn, { type: "pihub/bans/lift", address: ban.address }));
  }

  _createWebhook(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const secret = String(form.get("signing_secret") ?? "").trim();
    const name = String(form.get("name")).trim();
    return this._do(`Webhook "${name}" created.`, async () => {
      const answer = await send(this.session.conn, {
        type: "pihub/webhook/create",
        name,
        local_only: form.get("local_only") === "on",
        ...(secret ? { signing_secret: secret } : {}),
      });
      this._created = { name, url: `${location.origin}${answer.url}`, secret };
      event.target.reset();
    });
  }

  _deleteWebhook(webhook) {
    return this._do(`Webhook "${webhook.name}" deleted; its URL now does nothing.`, () =>
      send(this.session.conn, { type: "pihub/webhook/delete", webhook_id: webhook.webhook_id }));
  }

  render() {
    return html`<div class="page-title"><h1 tabindex="-1">Security</h1></div>
      ${this._error ? notice("error", this._error) : nothing}
      ${this._result ? notice("ok", this._result) : nothing}
      <div class="grid two">
        ${this._bansCard()} ${this._trustedCard()} ${this._webhooksCard()}
      </div>`;
  }

  _bansCard() {
    const bans = this._bans;
    return html`<section class="card" aria-labelledby="bans-title">
      <h2 id="bans-title">Banned addresses</h2>
      <p class="muted small">Addresses with repeated failed logins are refused for a while (longer on each repeat).
        Bans end by themselves; lift one to let it in now.</p>
      ${bans === undefined ? html`<p class="muted">Loading…</p>` : nothing}
      ${bans?.length === 0 ? html`<p data-testid="no-bans">No address is banned.</p>` : nothing}
      <ul class="list">
        ${(bans ?? []).map(
          (b) => html`<li data-testid="ban" data-address=${b.address}>
            <div class="grow">
              <strong class="mono">${b.address}</strong>
              <div class="small">Until ${formatTime(b.banned_until)} (${fromNow(b.banned_until)}) · ban ${b.level}</div>
              <div class="muted small">Since ${formatTime(b.banned_at)}; last failure: ${b.reason}</div>
            </div>
            <button class="small" ?disabled=${this._busy} @click=${() => this._lift(b)} aria-label="Lift ban of ${b.address}">Lift ban</button>
          </li>`,
        )}
      </ul>
      <h3>Recent failed logins</h3>
      <p class="muted small">Not available on this hub yet: the hub writes each failed login to its log, and the owner
        gets a notification for every new ban.</p>
    </section>`;
  }

  _trustedCard() {
    return html`<section class="card" aria-labelledby="trusted-title">
      <h2 id="trusted-title">Trusted networks</h2>
      <p>The list of trusted networks is not available on this hub yet: they are set in its configuration file
        (<span class="mono">auth.trusted_networks</span>), which this page cannot read.</p>
      ${this._trusted === true
        ? notice("info", "This browser's address is inside a trusted network: the login page offers a user picker here.")
        : this._trusted === false
          ? html`<p class="muted small">This browser's address is not inside a trusted network.</p>`
          : nothing}
    </section>`;
  }

  _webhooksCard() {
    return html`<section class="card" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p class="muted small">A webhook URL lets a service such as Plex fire the event <span class="mono">webhook</span>
        without a token: the URL itself is the secret.</p>
      ${this._created ? this._createdView(this._created) : this._webhookForm()}
      <ul class="list">
        ${(this._webhooks ?? []).map(
          (w) => html`<li data-testid="webhook">
            <div class="grow">
              <strong>${w.name}</strong> ${w.local_only ? html`<span class="badge">Local only</span>` : nothing}
              ${w.signed ? html`<span class="badge">Signed</span>` : nothing}
              <div class="muted small">Created ${formatTime(w.created_at)}</div>
            </div>
            <button class="small" @click=${(e) => copyText(e.currentTarget, `${location.origin}${w.url}`)}
              aria-label="Copy URL of ${w.name}">Copy URL</button>
            <pihub-confirm label="Delete" question="Delete this webhook?" yes="Delete"
              for-what="webhook ${w.name}" @confirm=${() => this._deleteWebhook(w)}></pihub-confirm>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  _webhookForm() {
    return html`<form @submit=${this._createWebhook}>
      <div class="field"><label for="webhook-name">Name</label>
        <input id="webhook-name" name="name" type="text" required placeholder="e.g. Plex" /></div>
      <label class="check"><input type="checkbox" name="local_only" checked />Only from the local network</label>
      <div class="field"><label for="webhook-secret">Signing secret (optional)</label>
        <div class="row">
          <input id="webhook-secret" class="grow" name="signing_secret" type="text" autocomplete="off" aria-describedby="secret-hint" />
          <button type="button" class="small" @click=${() => (/** @type {HTMLInputElement} */ (this.querySelector("#webhook-secret")).value = randomSecret())}>Generate</button>
        </div>
        <span class="hint" id="secret-hint">With a secret, senders must sign each body (HMAC-SHA256); the hub never shows it again.</span>
      </div>
      <button class="primary" type="submit" ?disabled=${this._busy}>Create webhook</button>
    </form>`;
  }

  /** @param {{ name: string, url: string, secret: string }} created */
  _createdView({ name, url, secret }) {
    const body = `'{"door":"open"}'`;
    // The signed string is {timestamp}.{METHOD}.{path?query}.{body}: see docs/api.md, "Signed webhooks".
    const path = new URL(url).pathname;
    const recipe = secret
      ? `body=${body}\nts=$(date +%s)\nsig=$(printf '%s' "$ts.POST.${path}.$body" | openssl dgst -sha256 -hmac '${secret}' | sed 's/^.* //')\n` +
        `curl -s -X POST -H "Content-Type: application/json" -H "X-PiHub-Timestamp: $ts" -H "X-PiHub-Signature: sha256=$sig" -d "$body" ${url}`
      : `curl -s -X POST -H "Content-Type: application/json" -d ${body} ${url}`;
    return html`${notice("warn", `Copy the URL of "${name}"${secret ? " and its signing secret" : ""} now; anyone with the URL can fire it.`)}
      <pre data-testid="webhook-url">${url}</pre>
      <div class="row">
        <button class="primary small" @click=${(e) => copyText(e.currentTarget, url)}>Copy URL</button>
        <button class="small" @click=${(e) => copyText(e.currentTarget, recipe)}>Copy curl recipe</button>
      </div>
      <h3>${secret ? "Sending a signed request" : "Sending a request"}</h3>
      <pre data-testid="webhook-recipe">${recipe}</pre>
      <button @click=${() => (this._created = null)}>Done</button>`;
  }
}

customElements.define("pihub-security", PiHubSecurity);
