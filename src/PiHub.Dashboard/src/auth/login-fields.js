// @ts-check
// Renders the login flow's forms from the hub's data_schema, and turns its error and abort
// codes into sentences that say what to do next.
import { html } from "lit";

const FORM_ERRORS = {
  invalid_auth: "Wrong username or password. Usernames ignore case; passwords do not.",
  invalid_code:
    "That code is wrong, expired or already used. Enter the current 6-digit code from your authenticator app, or one of your recovery codes.",
};

const ABORTS = {
  user_not_active: "This account is disabled. Ask an administrator of this hub to enable it, then log in again.",
  login_local_only: "This account may log in only from the hub's local network. Connect to that network and try again.",
  not_allowed: "This device is no longer on a trusted network. Log in with a username and password instead.",
  no_allowed_users: "No user may log in through this trusted network. Log in with a username and password instead.",
  invalid_auth: "The chosen user cannot log in any more. Start again.",
};

/** The sentence for a form that came back with errors.base, or null. */
export function formErrorText(flow, provider) {
  const code = flow.errors?.base;
  if (!code) return null;
  if (code === "invalid_auth" && provider?.type === "trusted_networks") {
    return "That user may not log in from this network. Pick another, or log in with a password.";
  }
  const text = FORM_ERRORS[code] ?? `The hub refused this step (${code}). Check what you entered and try again.`;
  // The hub adds why a code may be refused although it is right (its clock is not synchronised yet).
  return flow.message ? `${text} ${flow.message}` : text;
}

/** The sentence for an aborted flow: the hub's own message when it sent one. */
export function abortText(body) {
  if (body.message) return body.message;
  return ABORTS[body.reason] ?? `The hub ended this login (${body.reason}). Press "Start again" to try once more.`;
}

/** One labelled field of a login step. */
export function fieldView(field, { mfa, recovery }) {
  const id = `field-${field.name}`;
  if (field.type === "select") {
    return html`<div class="field">
      <label for=${id}>${field.name === "user" ? "Log in as" : field.name}</label>
      <select id=${id} name=${field.name} required>
        ${(field.options ?? []).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select>
    </div>`;
  }
  if (mfa && field.name === "code") {
    return html`<div class="field">
      <label for=${id}>${recovery ? "Recovery code" : "Authentication code"}</label>
      <input id=${id} name="code" type="text" required autocomplete="one-time-code" autocapitalize="none"
        spellcheck="false" inputmode=${recovery ? "text" : "numeric"} aria-describedby="${id}-hint" />
      <span class="hint" id="${id}-hint">${recovery
        ? "One of the 10 recovery codes you saved when you set up two-factor login. Each works once."
        : "The 6-digit code your authenticator app shows for PiHub now."}</span>
    </div>`;
  }
  const password = field.name === "password";
  const label = { username: "Username", password: "Password" }[field.name] ?? field.name;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input id=${id} name=${field.name} type=${password ? "password" : "text"} ?required=${field.required !== false}
      autocomplete=${password ? "current-password" : field.name === "username" ? "username" : "off"}
      autocapitalize="none" spellcheck="false" />
  </div>`;
}
