// @ts-check
// Profile: who I am, change password, two-factor login, long-lived tokens, and the sessions
// (refresh tokens) logged in as me.
import { html, nothing } from "lit";
import { View, notice } from "../lib/element.js";
import { send } from "../lib/ws.js";
import { formatTime } from "../lib/time.js";
import "../lib/confirm.js";
import "./profile-mfa.js";
import "./profile-tokens.js";

const GROUPS = { "system-admin": "Administrator", "system-users": "User", "system-read-only": "Read-only" };

export function clientLabel(token) {
  if (token.client_name) return token.client_name;
  try {
    return new URL(token.client_id).host;
  } catch {
    return token.client_id ?? "Unknown client";
  }
}

export function groupName(ids) {
  return (ids ?? []).map((g) => GROUPS[g] ?? g).join(", ") || "No group";
}

class PiHubProfile extends View {
  static properties = {
    session: { attribute: false },
    _tokens: { state: true },
    _error: { state: true },
    _passwordResult: { state: true },
    _passwordError: { state: true },
    _busy: { state: true },
  };

  constructor() {
    super();
    /** @type {import("../lib/session.js").Session} */
    this.session;
  }

  connectedCallback() {
    super.connectedCallback();
    this._loadTokens();
  }

  async _loadTokens() {
    try {
      this._tokens = await send(this.session.conn, { type: "auth/refresh_tokens" });
    } catch (error) {
      this._error = error;
    }
  }

  async _changePassword(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    this._passwordResult = null;
    if (form.get("new_password") !== form.get("confirm")) {
      this._passwordError = new Error("The two new passwords differ. Type the same password in both fields.");
      return;
    }
    const keep = form.get("keep") === "on";
    this._busy = true;
    try {
      await send(this.session.conn, {
        type: "config/auth_provider/homeassistant/change_password",
        current_password: form.get("current_password"),
        new_password: form.get("new_password"),
        keep_other_sessions: keep,
      });
      event.target.reset();
      this._passwordError = null;
      this._passwordResult = keep ? "Password changed." : "Password changed. Your other sessions were logged out.";
      this._loadTokens();
    } catch (error) {
      this._passwordError = error;
    } finally {
      this._busy = false;
    }
  }

  async _revoke(token) {
    try {
      await send(this.session.conn, { type: "auth/delete_refresh_token", refresh_token_id: token.id });
      await this._loadTokens();
    } catch (error) {
      this._error = error;
    }
  }

  async _revokeOthers() {
    try {
      await send(this.session.conn, { type: "auth/delete_all_refresh_tokens", token_type: "normal", delete_current_token: false });
      await this._loadTokens();
    } catch (error) {
      this._error = error;
    }
  }

  render() {
    const user = this.session.user;
    const hasPassword = (user.credentials ?? []).some((c) => c.auth_provider_type === "homeassistant");
    return html`<div class="page-title"><h1 tabindex="-1">Profile</h1></div>
      ${this._error ? notice("error", this._error) : nothing}
      <div class="grid two">
        <section class="card" aria-labelledby="me-title">
          <h2 id="me-title">${user.name}</h2>
          <dl class="facts">
            <dt>Role</dt>
            <dd>${groupName(user.group_ids)}${user.is_owner ? html` <span class="badge accent">Owner</span>` : nothing}</dd>
            <dt>Hub</dt>
            <dd>${location.host}</dd>
          </dl>
        </section>
        ${hasPassword ? this._passwordCard() : html`<section class="card"><h2>Password</h2>
              <p>This account has no password: it logs in through a trusted network only.</p></section>`}
        <pihub-mfa-card .session=${this.session}></pihub-mfa-card>
        <pihub-tokens-card .session=${this.session} .tokens=${this._tokens}
          @tokens-changed=${() => this._loadTokens()}></pihub-tokens-card>
        ${this._sessionsCard()}
      </div>`;
  }

  _passwordCard() {
    return html`<section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      ${this._passwordResult ? notice("ok", this._passwordResult) : nothing}
      ${this._passwordError ? notice("error", this._passwordError) : nothing}
      <form @submit=${this._changePassword}>
        <div class="field"><label for="current_password">Current password</label>
          <input id="current_password" name="current_password" type="password" required autocomplete="current-password" /></div>
        <div class="field"><label for="new_password">New password</label>
          <input id="new_password" name="new_password" type="password" required autocomplete="new-password" /></div>
        <div class="field"><label for="confirm_password">New password again</label>
          <input id="confirm_password" name="confirm" type="password" required autocomplete="new-password" /></div>
        <label class="check"><input type="checkbox" name="keep" />Keep my other sessions logged in</label>
        <button class="primary" type="submit" ?disabled=${this._busy}>Change password</button>
      </form>
    </section>`;
  }

  _sessionsCard() {
    const sessions = (this._tokens ?? []).filter((t) => t.type === "normal");
    return html`<section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p class="muted small">Browsers and apps logged in as you. Revoking one logs it out at once.</p>
      ${this._tokens === undefined ? html`<p class="muted">Loading…</p>` : nothing}
      <ul class="list">
        ${sessions.map(
          (t) => html`<li data-testid="session">
            <div class="grow">
              <strong>${clientLabel(t)}</strong>
              ${t.is_current ? html` <span class="badge accent">This browser</span>` : nothing}
              ${t.trusted_network ? html` <span class="badge">trusted network ${t.trusted_network}</span>` : nothing}
              <div class="muted small">Logged in ${formatTime(t.created_at)} · last used ${formatTime(t.last_used_at)}${
                t.last_used_ip ? ` from ${t.last_used_ip}` : ""}</div>
            </div>
            <pihub-confirm label=${t.is_current ? "Log out" : "Revoke"} question=${t.is_current ? "Log out here?" : "Revoke this session?"}
              yes=${t.is_current ? "Log out" : "Revoke"} for-what="session ${clientLabel(t)}"
              @confirm=${() => this._revoke(t)}></pihub-confirm>
          </li>`,
        )}
      </ul>
      ${sessions.length > 1
        ? html`<pihub-confirm label="Log out all other sessions" question="Log out every other session?" yes="Log them out"
            @confirm=${() => this._revokeOthers()}></pihub-confirm>`
        : nothing}
    </section>`;
  }
}

customElements.define("pihub-profile", PiHubProfile);
