// @ts-check
// Plain HTTP to the hub's auth and onboarding endpoints, and the one place that turns a failed
// answer into words for a person. The server's own sentence is always shown; nothing here says
// "something went wrong".
import { formatTime, fromNow } from "./time.js";

/** @typedef {{ until: Date | null, detail: string | null }} Ban */

/** A failed answer: `text` is what to show, `ban` is set when this address is banned. */
export class HubHttpError extends Error {
  /**
   * @param {string} text
   * @param {{ status?: number, code?: string | null, ban?: Ban | null, retryAfter?: number | null }} [details]
   */
  constructor(text, { status = 0, code = null, ban = null, retryAfter = null } = {}) {
    super(text);
    this.status = status;
    this.code = code;
    this.ban = ban;
    this.retryAfter = retryAfter;
  }
}

/**
 * Sends a request and answers `{status, body}` for any 2xx, and for the statuses listed in `accept`
 * (the login flow answers 400 for "onboarding required", which callers handle themselves).
 * Throws HubHttpError otherwise. `token` is an access token for the REST API.
 * @param {string} path
 * @param {{ method?: string, json?: unknown, form?: Record<string, string>, accept?: number[], token?: string }} [options]
 * @returns {Promise<{ status: number, body: any }>}
 */
export async function request(path, { method = "GET", json, form, accept = [], token } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  /** @type {RequestInit} */
  const init = { method, credentials: "same-origin", headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form !== undefined) {
    init.body = new URLSearchParams(form);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new HubHttpError(
      `Cannot reach the hub at ${location.host}. Check that it is running and that this device is on the same network, then try again.`,
    );
  }
  const body = await readBody(response);
  if (response.ok || accept.includes(response.status)) return { status: response.status, body };
  throw failure(response, body);
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/** The HubHttpError for a failed answer, with the server's sentence. */
export function failure(response, body) {
  const status = response.status;
  const code = body?.code ?? body?.error ?? null;
  const serverText = body?.message ?? body?.error_description ?? null;
  if (status === 403 && code === "banned") {
    const until = body.banned_until ? new Date(body.banned_until) : null;
    const text = until
      ? `This address is banned until ${formatTime(until)} (${fromNow(until)}) after repeated failed logins.`
      : "This address is banned after repeated failed logins.";
    return new HubHttpError(text, { status, code, ban: { until, detail: serverText } });
  }
  if (status === 429) {
    const retryAfter = Number(response.headers.get("Retry-After")) || 1;
    const text = serverText ?? `The hub is busy checking other passwords; wait ${retryAfter} s and try again.`;
    return new HubHttpError(text, { status, code, retryAfter });
  }
  if (serverText) return new HubHttpError(serverText, { status, code });
  if (status === 503) {
    return new HubHttpError("The hub cannot accept changes right now (HTTP 503); wait a moment and try again.", { status, code });
  }
  return new HubHttpError(
    `The hub answered HTTP ${status} without an explanation. Reload the page; if it persists, check the hub's log (journalctl -u pihub on the Pi).`,
    { status, code },
  );
}

/** GET of a REST API path with the session's access token (refreshed first when it has expired): the body. */
export async function apiGet(auth, path) {
  if (auth.expired) await auth.refreshAccessToken();
  return (await request(path, { token: auth.accessToken })).body;
}
