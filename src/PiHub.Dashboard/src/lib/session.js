// @ts-check
// Tokens as Home Assistant's frontend keeps them: home-assistant-js-websocket's getAuth() sends a
// browser without tokens to /auth/authorize, exchanges the code it brings back, and refreshes the
// 30-minute access token through POST /auth/token. The refresh token is kept in localStorage
// ("Keep me logged in", the authorize page's storeToken) or else in sessionStorage for this tab.
// Logging out revokes it on the hub.
import {
  createConnection,
  ERR_CANNOT_CONNECT,
  ERR_INVALID_AUTH,
  ERR_INVALID_AUTH_CALLBACK,
  getAuth,
  getUser,
} from "home-assistant-js-websocket";

const KEY = "hassTokens";
const hassUrl = location.origin;

function loadTokens() {
  const text = localStorage.getItem(KEY) ?? sessionStorage.getItem(KEY);
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function keep() {
  return sessionStorage.getItem("pihubKeep") !== "false";
}

function saveTokens(data) {
  localStorage.removeItem(KEY);
  sessionStorage.removeItem(KEY);
  if (data) (keep() ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(data));
}

/** Sends the browser to the login page, forgetting tokens the hub no longer accepts. */
export function relogin() {
  saveTokens(null);
  location.assign(location.pathname);
}

/** A sentence for a failure to connect: what happened and what to do. */
function explain(error) {
  if (error === ERR_CANNOT_CONNECT) {
    return `Cannot reach the hub's WebSocket at ${location.host}. Check that the hub is running, then reload.`;
  }
  if (error === ERR_INVALID_AUTH_CALLBACK) {
    return "The login came back for another hub address. Open the dashboard from the address you log in with, then log in again.";
  }
  return error?.message ?? `Could not connect to the hub (error ${String(error)}). Reload the page to try again.`;
}

/**
 * Logs in (or resumes) and opens the WebSocket. Answers {auth, conn, user}; a browser without
 * tokens is redirected to /auth/authorize and this never resolves.
 */
/**
 * Who is logged in, as auth/current_user answers (Home Assistant's fields and the ones PiHub adds).
 * @typedef {import("home-assistant-js-websocket").HassUser & {
 *   credentials?: { auth_provider_type: string, auth_provider_id: string | null }[],
 *   mfa_modules?: { id: string, name: string, enabled: boolean }[],
 *   group_ids?: string[],
 * }} User
 */

/**
 * A logged-in dashboard: the tokens, the open WebSocket and who is logged in.
 * @typedef {{ auth: import("home-assistant-js-websocket").Auth, conn: import("home-assistant-js-websocket").Connection, user: User }} Session
 */

/** @returns {Promise<Session>} */
export async function connect() {
  const query = new URLSearchParams(location.search);
  const callback = query.has("auth_callback");
  if (callback) sessionStorage.setItem("pihubKeep", query.get("storeToken") === "true" ? "true" : "false");

  let auth;
  try {
    auth = await getAuth({ hassUrl, loadTokens, saveTokens });
  } catch (error) {
    saveTokens(null);
    if (error === ERR_INVALID_AUTH) {
      throw new Error("The hub refused the login code: it was used already or is older than 10 minutes. Log in again.");
    }
    throw new Error(explain(error));
  }
  if (callback) history.replaceState(null, "", location.pathname);

  let conn;
  try {
    conn = await createConnection({ auth });
  } catch (error) {
    if (error === ERR_INVALID_AUTH) {
      // The refresh token was revoked or has expired: log in again.
      relogin();
      return new Promise(() => {});
    }
    throw new Error(explain(error));
  }
  conn.addEventListener("reconnect-error", (_conn, error) => {
    if (error === ERR_INVALID_AUTH) relogin();
  });
  const user = await getUser(conn);
  return { auth, conn, user };
}

/** Revokes this browser's refresh token on the hub, forgets it here, and goes to the login page. */
export async function logout(auth, conn) {
  try {
    await auth.revoke();
  } finally {
    saveTokens(null);
    conn?.close();
    location.assign("/");
  }
}
