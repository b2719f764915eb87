// @ts-check
// /auth/authorize: Home Assistant's OAuth authorize page. Third-party clients (the companion apps,
// other OAuth clients) and this dashboard itself open
//   /auth/authorize?response_type=code&client_id=…&redirect_uri=…&state=…
// The page runs the login flow with that client_id and redirect_uri (the hub checks the pair with
// IndieAuth rules) and, once logged in, sends the browser to redirect_uri with code and state.
import "../styles.css";
import { html, nothing } from "lit";
import { View, notice } from "../lib/element.js";
import { HubHttpError, request } from "../lib/http.js";
import { describeClient, finishUrl, readAuthorizeQuery } from "./oauth.js";
import { abortText, fieldView, formErrorText } from "./login-fields.js";
import icon from "../icon.svg";

class PiHubAuthorize extends View {
  static properties = {
    _fatal: { state: true },
    _error: { state: true },
    _providers: { state: true },
    _provider: { state: true },
    _flow: { state: true },
    _busy: { state: true },
    _keep: { state: true },
    _recovery: { state: true },
    _done: { state: true },
  };

  constructor() {
    super();
    this._query = readAuthorizeQuery(location.search);
    this._fatal = this._query.error;
    this._providers = [];
    this._keep = false;
    this._recovery = false;
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this._fatal) this._start();
  }

  async _start() {
    try {
      const { status, body } = await request("/auth/providers", { accept: [400] });
      if (status === 400) {
        if (body?.code === "onboarding_required") {
          location.replace(`/onboarding.html${location.search}`);
          return;
        }
        throw new HubHttpError(body?.message ?? "The hub refused to list its login providers.", { status });
      }
      this._providers = body.providers ?? [];
      this._keep = Boolean(body.preselect_remember_me);
      if (this._providers.length === 0) {
        throw new HubHttpError("The hub offers no way to log in from this address. Check its auth configuration.");
      }
      await this._startFlow(this._providers[0]);
    } catch (error) {
      this._error = error;
    }
  }

  async _startFlow(provider) {
    this._provider = provider;
    this._flow = null;
    this._recovery = false;
    this._busy = true;
    try {
      const { body } = await request("/auth/login_flow", {
        method: "POST",
        json: {
          client_id: this._query.clientId,
          handler: [provider.type, provider.id],
          redirect_uri: this._query.redirectUri,
        },
      });
      this._error = null;
      this._handle(body);
    } catch (error) {
      this._error = error;
    } finally {
      this._busy = false;
    }
  }

  async _submit(event) {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.target));
    delete data.keep;
    this._busy = true;
    try {
      const { body } = await request(`/auth/login_flow/${encodeURIComponent(this._flow.flow_id)}`, {
        method: "POST",
        json: { client_id: this._query.clientId, ...data },
      });
      this._error = null;
      this._handle(body);
      if (body.type === "form" && body.errors?.base) await this._checkBan();
    } catch (error) {
      this._error = error;
    } finally {
      this._busy = false;
    }
  }

  /** A wrong password may have been the one that banned this address: say so at once. */
  async _checkBan() {
    try {
      await request("/auth/providers");
    } catch (error) {
      if (error.ban) this._error = error;
    }
  }

  _handle(body) {
    if (body.type === "create_entry") {
      this._done = true;
      location.assign(finishUrl(this._query, body.result, this._keep));
      return;
    }
    if (body.type === "abort") {
      this._flow = null;
      this._error = new HubHttpError(abortText(body));
      return;
    }
    const stepChanged = this._flow?.step_id !== body.step_id;
    this._flow = body;
    if (stepChanged) this.updateComplete.then(() => this._focus("form input:not([type=checkbox]), form select"));
  }

  render() {
    return html`<div class="auth-shell">
      <div class="brand"><img src=${icon} alt="" />PiHub</div>
      <div class="card">
        <h1>Log in</h1>
        ${this._fatal ? notice("error", this._fatal, "This login link is not valid") : this._body()}
      </div>
    </div>`;
  }

  _body() {
    const client = describeClient(this._query);
    return html`
      ${client ? html`<div class="client" data-testid="client">${client}</div>` : nothing}
      ${this._error ? notice("error", this._error, this._error.ban ? "Banned" : null) : nothing}
      ${this._done ? notice("ok", "Logged in. Taking you back…") : this._form()}
      ${this._flow || this._error?.ban ? nothing : this._retry()}
      ${this._otherProviders()}`;
  }

  _retry() {
    if (!this._provider || this._busy || this._done) return nothing;
    return html`<button class="primary full" @click=${() => this._startFlow(this._provider)}>Start again</button>`;
  }

  _form() {
    const flow = this._flow;
    if (!flow) return this._busy ? html`<p class="muted" role="status">Contacting the hub…</p>` : nothing;
    const mfa = flow.step_id === "mfa";
    const errorText = formErrorText(flow, this._provider);
    return html`<form @submit=${this._submit} novalidate>
      ${mfa ? html`<p>Two-factor login is on for this account.</p>` : nothing}
      ${errorText && !this._error ? notice("error", errorText) : nothing}
      ${flow.data_schema.map((field) => fieldView(field, { mfa, recovery: this._recovery }))}
      ${mfa
        ? html`<p><button type="button" class="link" @click=${() => (this._recovery = !this._recovery)}>
            ${this._recovery ? "Use the code from my authenticator app" : "Use a recovery code instead"}
          </button></p>`
        : html`<label class="check"><input type="checkbox" name="keep" .checked=${this._keep}
              @change=${(e) => (this._keep = e.target.checked)} />Keep me logged in on this device</label>`}
      <button class="primary full" type="submit" ?disabled=${this._busy}>${mfa ? "Verify" : "Log in"}</button>
    </form>`;
  }

  _otherProviders() {
    const others = this._providers.filter((p) => p !== this._provider);
    if (others.length === 0 || this._done) return nothing;
    return html`<div class="stack">
      <p class="muted small">Or log in another way:</p>
      ${others.map(
        (p) => html`<button class="full" @click=${() => this._startFlow(p)}>
          ${p.type === "trusted_networks"
            ? "Pick a user (this device is on a trusted network)"
            : p.type === "homeassistant"
              ? "Use a username and password"
              : `Use ${p.name}`}
        </button>`,
      )}
    </div>`;
  }
}

customElements.define("pihub-authorize", PiHubAuthorize);
