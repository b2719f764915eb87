// @ts-check
// The OAuth side of the authorize page, as Home Assistant's frontend does it: read and check the
// query, describe the client to the person logging in, and build the URL the browser is sent
// back to (redirect_uri + code + state). The hub checks client_id and redirect_uri together
// (IndieAuth rules) when the login flow starts; the page only refuses addresses a browser must
// never be sent to.
import { html } from "lit";

const FORBIDDEN_SCHEMES = ["javascript:", "data:", "vbscript:", "file:", "about:"];

const KNOWN_APPS = {
  "https://home-assistant.io/android": "The Home Assistant app for Android",
  "https://home-assistant.io/iOS": "The Home Assistant app for iPhone, iPad and Mac",
};

/** {clientId, redirectUri, state, error}: error is a sentence when the link cannot be used. */
export function readAuthorizeQuery(search) {
  const query = new URLSearchParams(search);
  const clientId = query.get("client_id");
  const redirectUri = query.get("redirect_uri");
  const state = query.get("state");
  /** @type {{ clientId: string | null, redirectUri: string | null, state: string | null, error: string | null }} */
  const result = { clientId, redirectUri, state, error: null };
  if (!clientId) {
    result.error = "The app that sent you here did not say who it is (client_id is missing). Start the login again from the app.";
  } else if (!redirectUri) {
    result.error = "The app that sent you here did not say where to return (redirect_uri is missing). Start the login again from the app.";
  } else {
    let url = null;
    try {
      url = new URL(redirectUri);
    } catch {
      result.error = `The return address "${redirectUri}" is not a valid URL. Start the login again from the app.`;
    }
    if (url && FORBIDDEN_SCHEMES.includes(url.protocol.toLowerCase())) {
      result.error = `The return address uses "${url.protocol}", which a login never returns to. This link is unsafe; close it.`;
    }
  }
  return result;
}

/** Who is asking, for a client other than this dashboard; null for the dashboard itself. */
export function describeClient({ clientId, redirectUri }) {
  if (!clientId || clientId === `${location.origin}/`) return null;
  const app = KNOWN_APPS[clientId];
  let target = redirectUri;
  try {
    const url = new URL(redirectUri);
    target = url.protocol.startsWith("http") ? url.host : `${url.protocol}//${url.host}`;
  } catch {
    /* shown as given */
  }
  let name = app;
  if (!name) {
    try {
      name = new URL(clientId).host;
    } catch {
      name = clientId;
    }
  }
  return html`<strong>${name}</strong> asks to use this hub with your account. After you log in you
    are sent back to <span class="mono">${target}</span>.`;
}

/** redirect_uri with code, state (when given) and storeToken (when ticked), URL-encoded. */
export function finishUrl({ redirectUri, state }, code, storeToken) {
  let url = `${redirectUri}${redirectUri.includes("?") ? "&" : "?"}code=${encodeURIComponent(code)}`;
  if (state) url += `&state=${encodeURIComponent(state)}`;
  if (storeToken) url += "&storeToken=true";
  return url;
}
