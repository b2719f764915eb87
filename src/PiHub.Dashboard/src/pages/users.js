// @ts-check
// Users (administrators): list, create, enable/disable, change group, reset password, reset
// two-factor login, and (the owner only) hand ownership to another user. The hub enforces the
// owner invariant; its refusals are shown as they come.
import { html, nothing } from "lit";
import { View, notice } from "../lib/element.js";
import { send } from "../lib/ws.js";
import { groupName } from "./profile.js";
import "../lib/confirm.js";

const ROLES = [
  ["system-admin", "Administrator"],
  ["system-users", "User"],
  ["system-read-only", "Read-only"],
];

class PiHubUsers extends View {
  static properties = {
    session: { attribute: false },
    _users: { state: true },
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
  }

  async _load() {
    try {
      this._users = (await send(this.session.conn, { type: "config/auth/list" })).filter((u) => !u.system_generated);
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


  _create(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const conn = this.session.conn;
    const name = String(form.get("name")).trim();
    return this._do(`${name} can now log in as "${form.get("username")}".`, async () => {
      const { user } = await send(conn, {
        type: "config/auth/create",
        name,
        group_ids: [form.get("group")],
        local_only: form.get("local_only") === "on",
      });
      try {
        await send(conn, {
          type: "config/auth_provider/homeassistant/create",
          user_id: user.id,
          username: form.get("username"),
          password: form.get("password"),
        });
      } catch (error) {
        // A user nobody can log in as helps no one: take it back, then report why.
        await send(conn, { type: "config/auth/delete", user_id: user.id }).catch(() => {});
        throw error;
      }
      event.target.reset();
    });
  }

  _update(user, changes, text) {
    return this._do(text, () => send(this.session.conn, { type: "config/auth/update", user_id: user.id, ...changes }));
  }

  _resetPassword(event, user) {
    event.preventDefault();
    const password = new FormData(event.target).get("password");
    return this._do(`New password set for ${user.name}; their sessions were logged out.`, async () => {
      await send(this.session.conn, { type: "config/auth_provider/homeassistant/admin_change_password", user_id: user.id, password });
      event.target.reset();
    });
  }

  _resetMfa(user) {
    return this._do(`Two-factor login reset for ${user.name}.`, async () => {
      const { removed } = await send(this.session.conn, { type: "pihub/mfa/reset", user_id: user.id });
      if (!removed) throw new Error(`${user.name} had no authenticator app set up; nothing changed.`);
    });
  }

  _transfer(user) {
    return this._do(`${user.name} is now the owner. You remain an administrator.`, async () => {
      await send(this.session.conn, { type: "pihub/owner/transfer", user_id: user.id });
      this.session.user = { ...this.session.user, is_owner: false };
    });
  }

  render() {
    return html`<div class="page-title"><h1 tabindex="-1">Users</h1></div>
      ${this._error ? notice("error", this._error) : nothing}
      ${this._result ? notice("ok", this._result) : nothing}
      <div class="grid">
        <section class="card" aria-labelledby="users-title">
          <h2 id="users-title">People who can log in</h2>
          ${this._users ? html`<ul class="list">${this._users.map((u) => this._user(u))}</ul>` : html`<p class="muted">Loading…</p>`}
        </section>
        ${this._createForm()}
      </div>`;
  }

  _user(user) {
    const me = user.id === this.session.user.id;
    const group = user.group_ids?.[0] ?? "system-users";
    return html`<li data-testid="user" data-username=${user.username ?? ""}>
      <div class="grow">
        <strong>${user.name}</strong>${me ? html` <span class="muted small">(you)</span>` : nothing}
        <div class="small muted">${user.username ? html`<span class="mono">${user.username}</span> · ` : nothing}${groupName(user.group_ids)}</div>
        ${user.is_owner ? html`<span class="badge accent">Owner</span>` : nothing}
        ${user.is_active ? nothing : html`<span class="badge danger">Disabled</span>`}
        ${user.local_only ? html`<span class="badge">Local network only</span>` : nothing}
      </div>
      <details class="full">
        <summary>Manage ${user.name}</summary>
        <div class="stack">
          <div class="row">
            <label for="group-${user.id}">Role</label>
            <select id="group-${user.id}" class="grow" @change=${(e) =>
              this._update(user, { group_ids: [e.target.value] }, `${user.name} is now ${groupName([e.target.value])}.`)}>
              ${ROLES.map(([id, label]) => html`<option value=${id} ?selected=${id === group}>${label}</option>`)}
            </select>
          </div>
          <div class="row">
            ${user.is_active
              ? html`<pihub-confirm label="Disable" question="Disable ${user.name}?" yes="Disable"
                  for-what=${user.name}
                  @confirm=${() => this._update(user, { is_active: false }, `${user.name} is disabled and was logged out.`)}></pihub-confirm>`
              : html`<button class="small" @click=${() => this._update(user, { is_active: true }, `${user.name} is enabled.`)}>Enable</button>`}
            <pihub-confirm label="Reset two-factor login" question="Remove ${user.name}'s authenticator app?" yes="Reset"
              @confirm=${() => this._resetMfa(user)}></pihub-confirm>
            ${this.session.user.is_owner && !user.is_owner && user.is_active
              ? html`<pihub-confirm label="Make owner" question="Hand ownership to ${user.name}? You stay an administrator."
                  yes="Make ${user.name} the owner" @confirm=${() => this._transfer(user)}></pihub-confirm>`
              : nothing}
          </div>
          ${user.username
            ? html`<form class="row" @submit=${(e) => this._resetPassword(e, user)}>
                <label class="visually-hidden" for="pw-${user.id}">New password for ${user.name}</label>
                <input id="pw-${user.id}" class="grow" name="password" type="password" autocomplete="new-password"
                  placeholder="New password" required />
                <button class="small" type="submit" ?disabled=${this._busy}>Set password</button>
              </form>`
            : nothing}
        </div>
      </details>
    </li>`;
  }

  _createForm() {
    return html`<section class="card" aria-labelledby="create-title">
      <h2 id="create-title">Add a user</h2>
      <form @submit=${this._create}>
        <div class="grid two">
          <div class="field"><label for="new-name">Name</label><input id="new-name" name="name" type="text" required /></div>
          <div class="field"><label for="new-username">Username</label>
            <input id="new-username" name="username" type="text" required autocapitalize="none" autocomplete="off" /></div>
          <div class="field"><label for="new-password">Password</label>
            <input id="new-password" name="password" type="password" required autocomplete="new-password" /></div>
          <div class="field"><label for="new-group">Role</label>
            <select id="new-group" name="group">
              ${ROLES.map(([id, label]) => html`<option value=${id} ?selected=${id === "system-users"}>${label}</option>`)}
            </select></div>
        </div>
        <label class="check"><input type="checkbox" name="local_only" />Can log in only from the local network</label>
        <button class="primary" type="submit" ?disabled=${this._busy}>Add user</button>
      </form>
    </section>`;
  }
}

customElements.define("pihub-users", PiHubUsers);
