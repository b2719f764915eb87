// Load and soak driver for scripts/soak.sh (run it through that script).
//
//   node scripts/lib/soak.mjs run    --base URL --pid PID --minutes M --state FILE
//   node scripts/lib/soak.mjs verify --base URL --state FILE
//
// run: onboards the owner on a fresh server, then for M minutes keeps, all at once:
//   - 200 WebSocket clients subscribed to state_changed (each must see every change: 0 lost);
//   - REST writes (~20/s, POST /api/states over 50 entities) and reads (~20/s one state, ~2/s all);
//   - password logins that must succeed from 127.0.0.1 and 127.0.0.2 (full flow + token);
//   - wrong passwords from 127.0.0.3 and 127.0.0.4 (must get invalid_auth, then 403 {code:"banned"}
//     after 5 failures), and now and then from 127.0.0.1 (allowlisted: must never be banned);
//   - token refreshes (owner's refresh token, then REST with the new access token);
//   - revocations: a fresh login's refresh token is revoked; refreshing it must then fail
//     (400 invalid_grant) and its access token must be refused (401) (probes from 127.0.0.1:
//     a refused token counts as a failed login, as in Home Assistant);
//   - RSS samples of PID every 2 s; the slope (MB/min, least squares over the last 80 %).
//   Writes FILE (owner refresh token etc. for `verify`) and prints a JSON summary; exit 1 if
//   anything that should succeed failed, or a ban hit a non-attacking address.
// verify: after a restart on the same data folder: the owner logs in with the password, the
// refresh token from the run still works, REST answers. Exit 1 otherwise.
// Loopback only. Needs `ws` (PIHUB_NODE_DIR, default tests/PiHub.EndToEnd.Tests/node).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const nodeDir = process.env.PIHUB_NODE_DIR
  ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../tests/PiHub.EndToEnd.Tests/node");
const WebSocket = createRequire(path.join(nodeDir, "package.json"))("ws");

const [mode, ...rest] = process.argv.slice(2);
const opt = {};
for (let i = 0; i < rest.length; i += 2) opt[rest[i].replace(/^--/, "")] = rest[i + 1];
if (!["run", "verify"].includes(mode) || !opt.base || !opt.state) {
  console.error("usage: soak.mjs run --base URL --pid PID --minutes M --state FILE | verify --base URL --state FILE");
  process.exit(2);
}
const base = opt.base.replace(/\/$/, "");
const url = new URL(base);
if (url.hostname !== "127.0.0.1") throw new Error(`refusing non-loopback base ${base}`);
const CLIENT = `${base}/`;
const USER = "soak", PASSWORD = "soak-password-1";
const sleep = ms => new Promise(r => setTimeout(r, ms));

// ------------------------------------------------------------------ HTTP with a chosen source address
const agents = new Map();
const agentFor = local => {
  if (!agents.has(local)) agents.set(local, new http.Agent({ keepAlive: true, maxSockets: 16, localAddress: local }));
  return agents.get(local);
};
function request(method, pathname, { from = "127.0.0.1", token, json, form } = {}) {
  return new Promise(resolve => {
    const headers = {};
    let body;
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) { body = JSON.stringify(json); headers["content-type"] = "application/json"; }
    if (form !== undefined) { body = new URLSearchParams(form).toString(); headers["content-type"] = "application/x-www-form-urlencoded"; }
    if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);
    const req = http.request(base + pathname, { method, headers, agent: agentFor(from) }, res => {
      const chunks = [];
      res.on("data", c => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        let data = null;
        try { data = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, data, text });
      });
    });
    req.on("error", e => resolve({ status: 0, data: null, text: e.message }));
    req.setTimeout(15000, () => req.destroy(new Error("timeout")));
    req.end(body);
  });
}

// Full password login: flow, step, token. Returns { kind: "ok"|"invalid"|"banned"|"error", tokens, detail }.
async function login(from, password) {
  const flow = await request("POST", "/auth/login_flow", { from, json: { client_id: CLIENT, handler: ["homeassistant", null], redirect_uri: CLIENT } });
  if (flow.status === 403 && flow.data?.code === "banned") return { kind: "banned" };
  if (flow.status !== 200 || !flow.data?.flow_id) return { kind: "error", detail: `login_flow ${flow.status} ${flow.text.slice(0, 150)}` };
  const step = await request("POST", `/auth/login_flow/${flow.data.flow_id}`, { from, json: { client_id: CLIENT, username: USER, password } });
  if (step.status === 403 && step.data?.code === "banned") return { kind: "banned" };
  if (step.status === 200 && step.data?.errors?.base === "invalid_auth") return { kind: "invalid" };
  if (step.status !== 200 || step.data?.type !== "create_entry") return { kind: "error", detail: `login step ${step.status} ${step.text.slice(0, 150)}` };
  const tok = await request("POST", "/auth/token", { from, form: { grant_type: "authorization_code", code: step.data.result, client_id: CLIENT } });
  if (tok.status !== 200 || !tok.data?.access_token) return { kind: "error", detail: `token ${tok.status} ${tok.text.slice(0, 150)}` };
  return { kind: "ok", tokens: tok.data };
}

const refresh = (refreshToken, from = "127.0.0.1") =>
  request("POST", "/auth/token", { from, form: { grant_type: "refresh_token", refresh_token: refreshToken, client_id: CLIENT } });

// ------------------------------------------------------------------ verify
if (mode === "verify") {
  const saved = JSON.parse(fs.readFileSync(opt.state, "utf8"));
  const problems = [];
  const l = await login("127.0.0.1", PASSWORD);
  if (l.kind !== "ok") problems.push(`owner login after restart: ${l.kind} ${l.detail ?? ""}`);
  const r = await refresh(saved.refresh_token);
  if (r.status !== 200 || !r.data?.access_token) problems.push(`refresh token from the run: ${r.status} ${r.text.slice(0, 150)}`);
  const token = r.data?.access_token ?? l.tokens?.access_token;
  const api = await request("GET", "/api/", { token });
  if (api.status !== 200) problems.push(`GET /api/ after restart: ${api.status}`);
  const revoked = await refresh(saved.revoked_refresh_token);
  if (saved.revoked_refresh_token && revoked.status === 200) problems.push("a refresh token revoked during the run works again after the restart");
  const banned = await request("POST", "/auth/login_flow", { from: "127.0.0.3", json: { client_id: CLIENT, handler: ["homeassistant", null], redirect_uri: CLIENT } });
  console.log(JSON.stringify({ verify: problems.length ? "failed" : "ok", problems, attacker_still_banned_after_restart: banned.status === 403 }));
  for (const a of agents.values()) a.destroy();
  process.exit(problems.length ? 1 : 0);
}

// ------------------------------------------------------------------ run
const minutes = Number(opt.minutes ?? 10);
const pid = Number(opt.pid);
if (!(minutes > 0) || !(pid > 0)) throw new Error("run needs --minutes > 0 and --pid");
const counts = {};
const failures = [];
const count = (k, n = 1) => { counts[k] = (counts[k] ?? 0) + n; };
const fail = (kind, detail) => { count(`fail_${kind}`); if (failures.length < 20) failures.push(`${kind}: ${detail}`); };

// Owner.
const onboard = await request("POST", "/api/onboarding/users", { json: { client_id: CLIENT, name: "Soak Owner", username: USER, password: PASSWORD, language: "en" } });
if (onboard.status !== 200 || !onboard.data?.auth_code) throw new Error(`onboarding failed: ${onboard.status} ${onboard.text.slice(0, 200)}`);
const first = await request("POST", "/auth/token", { form: { grant_type: "authorization_code", code: onboard.data.auth_code, client_id: CLIENT } });
if (first.status !== 200) throw new Error(`token exchange failed: ${first.status} ${first.text.slice(0, 200)}`);
const owner = { refresh: first.data.refresh_token, access: first.data.access_token };
const state = { refresh_token: owner.refresh, revoked_refresh_token: null };

const ENTITIES = 50;
for (let k = 0; k < ENTITIES; k++) {
  const r = await request("POST", `/api/states/sensor.soak_${k}`, { token: owner.access, json: { state: "0", attributes: { friendly_name: `Soak ${k}` } } });
  if (r.status !== 200 && r.status !== 201) throw new Error(`creating sensor.soak_${k}: ${r.status}`);
}

// RSS sampling.
const rss = [];
const t0 = Date.now();
const readRss = () => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    if (m) rss.push([(Date.now() - t0) / 60000, Number(m[1]) / 1024]);
  } catch { fail("server", `process ${pid} is gone`); }
};
readRss();

// WebSocket clients.
const WS_CLIENTS = 200;
const runTag = `soak-${process.pid}`;
const clients = [];
const wsUrl = base.replace(/^http/, "ws") + "/api/websocket";
function connectClient(i) {
  return new Promise((resolve, reject) => {
    const c = { ws: new WebSocket(wsUrl, { perMessageDeflate: false }), seen: 0, closedEarly: false };
    const timer = setTimeout(() => reject(new Error(`client ${i} not subscribed within 30 s`)), 30000);
    c.ws.on("message", raw => {
      let msgs = JSON.parse(raw);
      if (!Array.isArray(msgs)) msgs = [msgs];
      for (const m of msgs) {
        if (m.type === "auth_required") c.ws.send(JSON.stringify({ type: "auth", access_token: owner.access }));
        else if (m.type === "auth_ok") c.ws.send(JSON.stringify({ id: 1, type: "subscribe_events", event_type: "state_changed" }));
        else if (m.type === "auth_invalid") { clearTimeout(timer); reject(new Error(`auth_invalid: ${m.message}`)); }
        else if (m.type === "result" && m.id === 1) { clearTimeout(timer); m.success ? resolve(c) : reject(new Error("subscribe failed")); }
        else if (m.type === "event" && m.event?.data?.new_state?.attributes?.run === runTag) c.seen++;
      }
    });
    c.ws.on("close", () => { if (!stopping) { c.closedEarly = true; fail("ws", `client ${i} closed during the run`); } });
    c.ws.on("error", e => fail("ws", `client ${i}: ${e.message}`));
  });
}
let stopping = false;
for (let i = 0; i < WS_CLIENTS; i += 25) {
  const batch = [];
  for (let j = i; j < Math.min(WS_CLIENTS, i + 25); j++) batch.push(connectClient(j));
  clients.push(...await Promise.all(batch));
}

const deadline = Date.now() + minutes * 60000;
const loop = async (intervalMs, body) => {
  while (Date.now() < deadline) {
    const started = Date.now();
    try { await body(); } catch (e) { fail("driver", e.message); }
    await sleep(Math.max(0, intervalMs - (Date.now() - started)));
  }
};

let writes = 0;
const attackers = { "127.0.0.3": { attempts: 0, invalid: 0, banned: 0 }, "127.0.0.4": { attempts: 0, invalid: 0, banned: 0 } };
const loops = [
  loop(2000, async () => readRss()),
  // Writes: ~20/s.
  loop(50, async () => {
    const seq = ++writes;
    const r = await request("POST", `/api/states/sensor.soak_${seq % ENTITIES}`, { token: owner.access, json: { state: String(seq), attributes: { run: runTag, seq } } });
    if (r.status === 200 || r.status === 201) count("writes_ok"); else { writes--; fail("write", `${r.status} ${r.text.slice(0, 100)}`); }
  }),
  // Reads: ~20/s one state, every 10th also the whole list.
  (async () => {
    let n = 0;
    await loop(50, async () => {
      const one = await request("GET", `/api/states/sensor.soak_${n % ENTITIES}`, { token: owner.access });
      if (one.status === 200 && one.data?.entity_id) count("reads_ok"); else fail("read", `${one.status}`);
      if (++n % 10 === 0) {
        const all = await request("GET", "/api/states", { token: owner.access });
        if (all.status === 200 && Array.isArray(all.data) && all.data.length >= ENTITIES) count("reads_all_ok"); else fail("read_all", `${all.status}`);
      }
    });
  })(),
  // Good logins from two addresses.
  loop(3000, async () => {
    for (const from of ["127.0.0.1", "127.0.0.2"]) {
      const l = await login(from, PASSWORD);
      if (l.kind === "ok") {
        count("logins_ok");
        await request("POST", "/auth/revoke", { from, form: { token: l.tokens.refresh_token } }); // do not pile up tokens
      } else fail("login", `${from}: ${l.kind} ${l.detail ?? ""}`);
    }
  }),
  // Attackers: wrong passwords; banned after 5 failures within 10 minutes.
  loop(1500, async () => {
    for (const [from, a] of Object.entries(attackers)) {
      a.attempts++;
      const l = await login(from, "wrong-password");
      if (l.kind === "invalid") {
        a.invalid++;
        if (a.invalid > 5) fail("ban", `${from} not banned after ${a.invalid} wrong passwords`);
      } else if (l.kind === "banned") {
        a.banned++;
        if (a.invalid < 5) fail("ban", `${from} banned after only ${a.invalid} wrong passwords`);
      } else if (l.kind === "ok") fail("ban", `${from} logged in with a wrong password`);
      else fail("attacker", `${from}: ${l.kind} ${l.detail ?? ""}`);
    }
  }),
  // Wrong password from 127.0.0.1 now and then: allowlisted, must never be banned.
  loop(10000, async () => {
    const l = await login("127.0.0.1", "wrong-password");
    if (l.kind === "invalid") count("allowlisted_wrong_ok"); else fail("allowlist", `127.0.0.1 wrong password gave ${l.kind} ${l.detail ?? ""}`);
  }),
  // Refreshes of the owner's token; the new access token serves the REST loops.
  loop(2000, async () => {
    const r = await refresh(owner.refresh);
    if (r.status === 200 && r.data?.access_token) {
      count("refreshes_ok");
      owner.access = r.data.access_token;
    } else fail("refresh", `${r.status} ${r.text.slice(0, 100)}`);
  }),
  // Revocations.
  loop(5000, async () => {
    const l = await login("127.0.0.2", PASSWORD);
    if (l.kind !== "ok") return fail("login", `127.0.0.2 (for revocation): ${l.kind} ${l.detail ?? ""}`);
    const before = await request("GET", "/api/", { from: "127.0.0.2", token: l.tokens.access_token });
    if (before.status !== 200) fail("revoke", `fresh access token refused: ${before.status}`);
    const rv = await request("POST", "/auth/revoke", { from: "127.0.0.2", form: { token: l.tokens.refresh_token } });
    if (rv.status !== 200) return fail("revoke", `POST /auth/revoke ${rv.status}`);
    // The probes with the dead tokens go from 127.0.0.1: like Home Assistant, the hub counts a
    // refused token as a failed login, so from 127.0.0.2 they would (rightly) get it banned.
    const again = await refresh(l.tokens.refresh_token, "127.0.0.1");
    if (!(again.status === 400 && again.data?.error === "invalid_grant")) fail("revoke", `revoked refresh token: ${again.status} ${again.text.slice(0, 100)} (want 400 invalid_grant)`);
    const after = await request("GET", "/api/", { from: "127.0.0.1", token: l.tokens.access_token });
    if (after.status !== 401) fail("revoke", `access token of a revoked refresh token: ${after.status} (want 401)`);
    count("revocations_ok");
    state.revoked_refresh_token = l.tokens.refresh_token;
  }),
];
await Promise.all(loops);

// Drain: every client should have seen every successful write.
const drainUntil = Date.now() + 10000;
while (clients.some(c => c.seen < writes) && Date.now() < drainUntil) await sleep(200);
stopping = true;
const lost = clients.reduce((a, c) => a + Math.max(0, writes - c.seen), 0);
if (lost) fail("ws", `${lost} state_changed events lost over ${WS_CLIENTS} clients`);
for (const c of clients) c.ws.terminate();
for (const a of agents.values()) a.destroy();
for (const [from, a] of Object.entries(attackers)) {
  if (a.invalid >= 5 && a.banned === 0 && a.attempts > 6) fail("ban", `${from} never banned`);
}
readRss();

// RSS slope over the last 80 % (the first 20 % is warm-up).
const tail = rss.slice(Math.floor(rss.length * 0.2));
let slope = null;
if (tail.length >= 3) {
  const n = tail.length, mx = tail.reduce((a, p) => a + p[0], 0) / n, my = tail.reduce((a, p) => a + p[1], 0) / n;
  const sxx = tail.reduce((a, p) => a + (p[0] - mx) ** 2, 0), sxy = tail.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
  slope = sxx ? sxy / sxx : 0;
}
fs.writeFileSync(opt.state, JSON.stringify(state));
const round = v => v == null ? null : Math.round(v * 100) / 100;
const summary = {
  minutes, ws_clients: WS_CLIENTS, writes, ws_lost: lost, ...counts, attackers,
  rss_first_mb: round(rss[0]?.[1]), rss_last_mb: round(rss.at(-1)?.[1]), rss_max_mb: round(Math.max(...rss.map(p => p[1]))),
  rss_samples: rss.length, rss_slope_mb_per_min: round(slope),
  failures,
};
console.log(JSON.stringify(summary));
process.exit(Object.keys(counts).some(k => k.startsWith("fail_")) ? 1 : 0);
