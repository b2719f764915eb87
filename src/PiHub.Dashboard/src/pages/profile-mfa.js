// @ts-check
// Two-factor login (TOTP) with Home Assistant's commands: auth/setup_mfa shows the secret and a QR
// code, a code from the app enables it and answers 10 one-time recovery codes (shown once: download
// or print them); auth/depose_mfa turns it off and pihub/mfa/recovery_codes replaces the codes,
// both after re-entering the password and a code.
import { html, nothing } from "lit";
import { getUser } from "home-assistant-js-websocket";
import { View, notice } from "../lib/element.js";
import { send } from "../lib/ws.js";

class PiHubMfaCard extends View {
  static properties = {
    session: { attribute: false },
    _mode: { state: true },
    _setup: { state: true },
    _codes: { state: true },
    _error: { state: true },
    _busy: { state: true },
  };

  constructor() {
    super();
    /** @type {import("../lib/session.js").Session} */
    this.session;
    this._mode = "idle";
  }

  get _enabled() {
    return (this.session.user.mfa_modules ?? []).some((m) => m.id === "totp" && m.enabled);
  }



  _begin() {
    return this._act(async () => {
      this._setup = await send(this.session.conn, { type: "auth/setup_mfa", mfa_module_id: "totp" });
      this._mode = "setup";
      await this.updateComplete;
      this._focus("#totp-code");
    });
  }

  _confirm(event) {
    event.preventDefault();
    const code = new FormData(event.target).get("code");
    return this._act(async () => {
      const answer = await send(this.session.conn, {
        type: "auth/setup_mfa",
        flow_id: this._setup.flow_id,
        user_input: { code: String(code).trim() },
      });
      if (answer.type === "form") {
        this._setup = answer;
        throw new Error("That code is not the one the app shows now. Check the phone's clock and enter the current 6-digit code.");
      }
      if (answer.type === "abort") {
        this._mode = "idle";
        throw new Error(answer.message ?? "Too many wrong codes: set-up was stopped. Start again.");
      }
      this._codes = answer.data.recovery_codes;
      this._mode = "codes";
      await this._refreshUser();
    });
  }

  _disable(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    return this._act(async () => {
      await send(this.session.conn, {
        type: "auth/depose_mfa",
        mfa_module_id: "totp",
        password: form.get("password"),
        code: String(form.get("code")).trim(),
      });
      this._mode = "idle";
      await this._refreshUser();
    });
  }

  _regenerate(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    return this._act(async () => {
      const answer = await send(this.session.conn, {
        type: "pihub/mfa/recovery_codes",
        password: form.get("password"),
        code: String(form.get("code")).trim(),
      });
      this._codes = answer.recovery_codes;
      this._mode = "codes";
    });
  }

  async _refreshUser() {
    this.session.user = await getUser(this.session.conn);
  }

  _download() {
    const text = [
      `PiHub recovery codes for ${this.session.user.name} (${location.host})`,
      `Created ${new Date().toLocaleString()}. Each code logs in once instead of the authenticator app.`,
      "",
      ...this._codes,
      "",
    ].join("\n");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = "pihub-recovery-codes.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  _print() {
    document.body.dataset.print = "codes";
    window.addEventListener("afterprint", () => delete document.body.dataset.print, { once: true });
    window.print();
  }

  render() {
    return html`<section class="card ${this._mode === "codes" ? "print-area" : ""}" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-factor login
        <span class="badge ${this._enabled ? "accent" : ""}" data-testid="mfa-state">${this._enabled ? "On" : "Off"}</span></h2>
      ${this._error ? notice("error", this._error) : nothing}
      ${this._view()}
    </section>`;
  }

  _view() {
    switch (this._mode) {
      case "setup":
        return this._setupView();
      case "codes":
        return this._codesView();
      case "disable":
      case "regenerate":
        return this._reauthView();
      default:
        return this._enabled
          ? html`<p>Logging in asks for a code from your authenticator app after the password.</p>
              <div class="row">
                <button @click=${() => (this._mode = "regenerate")}>New recovery codes</button>
                <button class="danger" @click=${() => (this._mode = "disable")}>Turn off</button>
              </div>`
          : html`<p>Add an authenticator app (Aegis, Google Authenticator, 1Password…) so a stolen password alone cannot
                log in.</p>
              <button class="primary" ?disabled=${this._busy} @click=${this._begin}>Set up an authenticator app</button>`;
    }
  }

  _setupView() {
    const p = this._setup.description_placeholders;
    const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.qr_code)}`;
    return html`<ol class="stack">
        <li>Scan this code with the app:
          <img class="qr" src=${qr} alt="QR code for the authenticator app; the secret is also written below" /></li>
        <li>Or type this secret into the app:
          <code class="secret" data-testid="totp-secret">${p.code}</code>
          <a class="small" href=${p.url}>Open in an authenticator app on this device</a></li>
        <li>Enter the 6-digit code the app shows:</li>
      </ol>
      <form @submit=${this._confirm}>
        <div class="field"><label for="totp-code">Code from the app</label>
          <input id="totp-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required /></div>
        <div class="row">
          <button class="primary" type="submit" ?disabled=${this._busy}>Turn on</button>
          <button type="button" @click=${() => (this._mode = "idle")}>Cancel</button>
        </div>
      </form>`;
  }

  _codesView() {
    return html`${notice("ok", "Two-factor login is on. Save these recovery codes now: each logs in once without the app, and this page will not show them again.")}
      <ul class="codes" data-testid="recovery-codes">${this._codes.map((c) => html`<li>${c}</li>`)}</ul>
      <div class="row no-print">
        <button @click=${this._download}>Download</button>
        <button @click=${this._print}>Print</button>
        <button class="primary" @click=${() => ((this._mode = "idle"), (this._codes = null))}>I have saved them</button>
      </div>`;
  }

  _reauthView() {
    const disable = this._mode === "disable";
    return html`<p>${disable ? "To turn two-factor login off" : "To replace your recovery codes"}, confirm it is you.</p>
      <form @submit=${disable ? this._disable : this._regenerate}>
        <div class="field"><label for="mfa-password">Password</label>
          <input id="mfa-password" name="password" type="password" autocomplete="current-password" required /></div>
        <div class="field"><label for="mfa-code">Code from the app, or a recovery code</label>
          <input id="mfa-code" name="code" type="text" autocomplete="one-time-code" required /></div>
        <div class="row">
          <button class="${disable ? "danger solid" : "primary"}" type="submit" ?disabled=${this._busy}>
            ${disable ? "Turn off two-factor login" : "Make new codes"}</button>
          <button type="button" @click=${() => (this._mode = "idle")}>Cancel</button>
        </div>
      </form>`;
  }
}

customElements.define("pihub-mfa-card", PiHubMfaCard);
