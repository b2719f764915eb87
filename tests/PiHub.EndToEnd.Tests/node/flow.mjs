// The whole client journey of a fresh hub, driven by Home Assistant's own client library.
// Usage: node flow.mjs http://127.0.0.1:PORT
// Prints one JSON line per step; exits 0 only when every step passed.
import WebSocket from "ws";
import {
  Auth,
  createConnection,
  createLongLivedTokenAuth,
  getUser,
  subscribeEntities,
  ERR_INVALID_AUTH,
} from "home-assistant-js-websocket";

// Node 20 has no global WebSocket; the library expects one.
globalThis.WebSocket = WebSocket;

const hassUrl = process.argv[2];
const clientId = `${hassUrl}/`;
const step = (name, detail = {}) => console.log(JSON.stringify({ step: name, ok: true, ...detail }));
const fail = (name, error) => {
  console.log(JSON.stringify({ step: name, ok: false, error: String(error?.message ?? error) }));
  process.exit(1);
};
const within = (ms, promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);

async function post(path, body, token, form = false) {
  const headers = { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${hassUrl}${path}`, {
    method: "POST",
    headers,
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

let current = "onboarding";
try {
  const { auth_code } = await post("/api/onboarding/users", {
    client_id: clientId, name: "Node Owner", username: "nodeowner", password: "node-owner-password", language: "en",
  });
  step("onboarding", { auth_code: Boolean(auth_code) });

  current = "token";
  const tokens = await post("/auth/token", { grant_type: "authorization_code", code: auth_code, client_id: clientId }, null, true);
  step("token", { expires_in: tokens.expires_in });

  current = "createConnection";
  const auth = new Auth({
    hassUrl, clientId, access_token: tokens.access_token, refresh_token: tokens.refresh_token,
    expires_in: tokens.expires_in, expires: Date.now() + tokens.expires_in * 1000,
  });
  const conn = await createConnection({ auth });
  step("createConnection", { haVersion: conn.haVersion });

  current = "getUser";
  const user = await getUser(conn);
  if (!user.is_owner || !user.is_admin) throw new Error(`expected the owner, got ${JSON.stringify(user)}`);
  step("getUser", { name: user.name, is_owner: user.is_owner });

  current = "long_lived_access_token";
  const llat = await conn.sendMessagePromise({ type: "auth/long_lived_access_token", client_name: "node-script", lifespan: 365 });
  if (typeof llat !== "string" || llat.length < 20) throw new Error(`not a token: ${JSON.stringify(llat)}`);
  step("long_lived_access_token");
  conn.close();

  current = "connect with long-lived token";
  const llConn = await createConnection({ auth: createLongLivedTokenAuth(hassUrl, llat) });
  step("connect with long-lived token");

  current = "subscribeEntities";
  const seen = new Promise((resolve) => {
    subscribeEntities(llConn, (entities) => {
      const s = entities["sensor.node_flow"];
      if (s && s.state === "42") resolve(s);
    });
  });
  await post("/api/states/sensor.node_flow", { state: "42", attributes: { unit_of_measurement: "W" } }, llat);
  const entity = await within(2000, seen, "subscribeEntities seeing sensor.node_flow");
  step("subscribeEntities", { state: entity.state, unit: entity.attributes.unit_of_measurement });

  current = "subscribeEvents";
  const fired = new Promise((resolve) => {
    llConn.subscribeEvents((ev) => resolve(ev), "node_flow_event");
  });
  // Give the subscription a moment to be registered before firing.
  await llConn.ping();
  await post("/api/events/node_flow_event", { from: "rest" }, llat);
  const ev = await within(2000, fired, "subscribeEvents receiving node_flow_event");
  if (ev.data.from !== "rest") throw new Error(`wrong event data ${JSON.stringify(ev)}`);
  step("subscribeEvents", { event_type: ev.event_type });
  llConn.close();

  current = "bad token";
  try {
    await createConnection({ auth: createLongLivedTokenAuth(hassUrl, "not-a-valid-token") });
    throw new Error("a bad token was accepted");
  } catch (err) {
    if (err !== ERR_INVALID_AUTH) throw new Error(`expected ERR_INVALID_AUTH, got ${err}`);
  }
  step("bad token", { error: "ERR_INVALID_AUTH" });
  process.exit(0);
} catch (err) {
  fail(current, err);
}
