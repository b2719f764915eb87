// Home Assistant's own client library asks PiHub for history, as its frontend does.
// Usage: node history.mjs http://127.0.0.1:PORT ACCESS_TOKEN
// Sets sensor.js_history three times over REST, then reads it back with
// history/history_during_period and history/stream through the library's connection.
// Prints one JSON line per step; exits 0 only when every step passed.
import WebSocket from "ws";
import { createConnection, createLongLivedTokenAuth } from "home-assistant-js-websocket";

globalThis.WebSocket = WebSocket; // Node 20 has no global WebSocket

const [hassUrl, token] = process.argv.slice(2);
const step = (name, detail = {}) => console.log(JSON.stringify({ step: name, ok: true, ...detail }));
const within = (ms, promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);

async function setState(state) {
  const res = await fetch(`${hassUrl}/api/states/sensor.js_history`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ state, attributes: { unit_of_measurement: "W", friendly_name: "JS history" } }),
  });
  if (!res.ok) throw new Error(`POST /api/states answered ${res.status}`);
}

let current = "connect";
try {
  const start = new Date(Date.now() - 1000).toISOString();
  for (const s of ["1", "2", "3"]) await setState(s);
  const conn = await createConnection({ auth: createLongLivedTokenAuth(hassUrl, token) });
  step("connect", { haVersion: conn.haVersion });

  current = "history_during_period";
  const history = await conn.sendMessagePromise({
    type: "history/history_during_period",
    start_time: start,
    entity_ids: ["sensor.js_history"],
    minimal_response: false,
    no_attributes: false,
  });
  const rows = history["sensor.js_history"];
  if (!Array.isArray(rows) || rows.map((r) => r.s).join(",") !== "1,2,3") throw new Error(`unexpected history ${JSON.stringify(history)}`);
  if (typeof rows[0].lu !== "number" || rows[0].a?.unit_of_measurement !== "W") throw new Error(`unexpected row ${JSON.stringify(rows[0])}`);
  step("history_during_period", { states: rows.map((r) => r.s) });

  current = "history/stream";
  const events = [];
  let sawLive;
  const live = new Promise((resolve) => (sawLive = resolve));
  const unsubscribe = await conn.subscribeMessage(
    (event) => {
      events.push(event);
      if (event.states?.["sensor.js_history"]?.some((r) => r.s === "4") && !("start_time" in event)) sawLive();
    },
    { type: "history/stream", start_time: start, entity_ids: ["sensor.js_history"], minimal_response: true, no_attributes: true },
  );
  await setState("4");
  await within(10000, live, "a live history/stream event");
  const backfill = events[0];
  if (backfill.states["sensor.js_history"].length !== 3 || typeof backfill.start_time !== "number") throw new Error(`unexpected backfill ${JSON.stringify(backfill)}`);
  await unsubscribe();
  step("history/stream", { messages: events.length });
  conn.close();
} catch (error) {
  console.log(JSON.stringify({ step: current, ok: false, error: String(error?.message ?? error) }));
  process.exit(1);
}
