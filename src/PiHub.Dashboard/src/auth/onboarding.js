// @ts-check
// First boot: create the owner (POST /api/onboarding/users). When the hub lost its user database
// and nothing could be recovered, onboarding is in recovery mode: the hub then refuses the owner
// without the one-time recovery code it wrote to its data folder, and this page asks for it. The
// user step of GET /api/onboarding says so (recovery_code_required), so the page asks up front.
// Opened by an app (client_id and redirect_uri in the query), the page sends redirect_uri with the
// owner: the hub checks it as /auth/authorize does and creates no owner when it may not receive the
// code, so the page never sends the new owner's code to an address the hub did not accept.
import "../styles.css";
import { html, nothing } from "lit";
import { View, notice } from "../lib/element.js";
import { request } from "../lib/http.js";
import { finishUrl, readAuthorizeQuery } from "./oauth.js";
import icon from "../icon.svg";

class PiHubOnboarding extends View {
  static properties = {
    _ready: { state: true },
    _error: { state: true },
    _busy: { state: true },
    _recovery: { state: true },
    _closed: { state: true },
    _refused: { state: true },
  };

  connectedCallback() {
    super.connectedCallback();
    this._check();
  }

  async _check() {
    try {
      const { body } = await request("/api/onboarding");
      const user = body.find((s) => s.step === "user");
      if (user?.done) {
        this._closed = true;
        // Already set up: the login page is where this visitor belongs.
        location.replace(new URLSearchParams(location.search).has("client_id") ? `/auth/authorize${location.search}` : "/");
        return;
      }
      this._recovery = user?.recovery_code_required === true;
      this._ready = true;
    } catch (error) {
      this._error = error;
    }
  }

  async _submit(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    if (form.get("password") !== form.get("confirm")) {
      this._error = new Error("The two passwords differ. Type the same password in both fields.");
      this._focus("#confirm");
      return;
    }
    const fromApp = readAuthorizeQuery(location.search);
    const own = !fromApp.clientId || fromApp.error;
    const clientId = own ? `${location.origin}/` : fromApp.clientId;
    const body = {
      client_id: clientId,
      name: form.get("name"),
      username: form.get("username"),
      password: form.get("password"),
      language: document.documentElement.lang || "en",
    };
    if (!own) body.redirect_uri = fromApp.redirectUri;
    if (this._recovery) body.recovery_code = String(form.get("recovery_code") ?? "").trim();
    this._busy = true;
    try {
      const { body: answer } = await request("/api/onboarding/users", { method: "POST", json: body });
      location.assign(own ? this._dashboardCallback(answer.auth_code) : finishUrl(fromApp, answer.auth_code, true));
    } catch (error) {
      if (error.status === 403 && error.code === "access_denied") {
        // Recovery mode: ask for the code (again, if the one given was wrong; or at all, if recovery mode
        // began after this page loaded).
        const asked = this._recovery;
        this._recovery = true;
        this._error = asked
          ? new Error("That recovery code is not the one the hub expects. On the hub, `sudo pihub-cli onboarding code` prints a new one; type that.")
          : null;
        await this.updateComplete;
        this._focus("#recovery_code");
      } else if (error.status === 403) {
        this._closed = true;
        this._error = error;
      } else if (!own && error.status === 400 && error.code === "invalid_request") {
        // The hub refused the app's client_id or redirect_uri (its sentence says which and why).
        this._refused = true;
        this._error = error;
      } else {
        this._error = error;
      }
    } finally {
      this._busy = false;
    }
  }

  /** Hands the code to the dashboard exactly as the authorize page would (home-assistant-js-websocket checks state). */
  _dashboardCallback(code) {
    const state = btoa(JSON.stringify({ hassUrl: location.origin, clientId: `${location.origin}/` }));
    return finishUrl({ redirectUri: `${location.origin}/?auth_callback=1`, state }, code, true);
  }

  render() {
    return html`<div class="auth-shell">
      <div class="brand"><img src=${icon} alt="" />PiHub</div>
      <div class="card">
        <h1>Welcome to PiHub</h1>
        ${this._error ? notice("error", this._error) : nothing}
        ${this._closed
          ? html`<p><a class="button primary full" href="/">Go to the login page</a></p>`
          : this._refused
            ? html`<p>No owner was created: the hub will not send a login to the address this app gave. You can create
                  the owner for this hub's own dashboard instead.</p>
                <p><a class="button primary full" href="/onboarding.html">Create the owner without the app</a></p>`
          : this._ready
            ? this._form()
            : this._error
              ? nothing
              : html`<p class="muted" role="status">Checking the hub…</p>`}
      </div>
    </div>`;
  }

  _form() {
    return html`<p>Create the owner account. The owner can do everything on this hub and is the only one who can hand
        ownership to someone else.</p>
      <form @submit=${this._submit}>
        ${this._recovery ? this._recoveryField() : nothing}
        <div class="field">
          <label for="name">Your name</label>
          <input id="name" name="name" type="text" required autocomplete="name" />
        </div>
        <div class="field">
          <label for="username">Username</label>
          <input id="username" name="username" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" required autocomplete="new-password" aria-describedby="password-hint" />
          <span class="hint" id="password-hint">At least 8 characters; a long passphrase is best.</span>
        </div>
        <div class="field">
          <label for="confirm">Password again</label>
          <input id="confirm" name="confirm" type="password" required autocomplete="new-password" />
        </div>
        <button class="primary full" type="submit" ?disabled=${this._busy}>Create owner</button>
      </form>`;
  }

  _recoveryField() {
    return html`<div class="notice warn" role="alert">
        <strong>Recovery mode</strong>
        <p>This hub lost its user database and could not restore it from a snapshot, so creating the owner needs the
          one-time recovery code. Only someone with access to the hub itself can read it: over SSH on the Pi,
          <span class="mono">sudo pihub-cli onboarding code</span> prints a new one (the current one is also in
          <span class="mono">recovery-code.txt</span> in the hub's data folder, which the hub's log names).</p>
      </div>
      <div class="field">
        <label for="recovery_code">Recovery code</label>
        <input id="recovery_code" name="recovery_code" type="text" required autocomplete="off" autocapitalize="none" spellcheck="false" />
      </div>`;
  }
}

customElements.define("pihub-onboarding", PiHubOnboarding);
