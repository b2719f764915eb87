// WebSocket fan-out load generator for scripts/bench.sh.
//
//   node scripts/lib/fanout.mjs --base http://127.0.0.1:PORT --token TOKEN
//        [--clients 100] [--rate 100] [--seconds 30] [--mode events|entities] [--workers W]
//
// N authenticated clients (split across worker threads) subscribe with `subscribe_events
// state_changed` (or `subscribe_entities`); the main thread then POSTs `rate` state changes per
// second for `seconds` to /api/states/sensor.fanout_<k>, each carrying its sequence number and
// send time (performance.timeOrigin + performance.now(), one machine clock) in its attributes.
// Every client records receive time - send time for every change it sees; after the last POST
// it waits (up to 10 s) for stragglers. Prints one JSON line:
//   {"clients","posted","expected","received","lost","p50_ms","p99_ms","max_ms","post_errors","post_p50_ms","post_p99_ms","cpu_ms"}
// post_p50_ms/post_p99_ms: each POST's round trip, the part of a delivery's latency that is the state change
// itself (request, store, response) and no fan-out: with one client, delivery p99 follows it.
// cpu_ms is the generator's own CPU (user + system, every thread) for the whole run: near one core's worth of
// the run's seconds means the generator, not the server, set the pace.
// Needs the `ws` package: set PIHUB_NODE_DIR to a folder whose node_modules has it.
// Loopback only: refuses any --base that is not 127.0.0.1/localhost.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import http from "node:http";
import path from "node:path";

const nodeDir = process.env.PIHUB_NODE_DIR
  ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../tests/PiHub.EndToEnd.Tests/node");
const require = createRequire(path.join(nodeDir, "package.json"));
const now = () => performance.timeOrigin + performance.now();

// Latency histogram: 10 µs buckets up to 100 ms, then 1 ms buckets up to 60 s.
const FINE = 10000, COARSE = 60000;
const bucketOf = ms => ms < 100 ? Math.max(0, Math.floor(ms * 100)) : FINE + Math.min(COARSE - 1, Math.floor(ms - 100));
const msOf = b => b < FINE ? (b + 0.5) / 100 : 100 + (b - FINE) + 0.5;
function percentile(hist, total, p) {
  if (!total) return null;
  const want = Math.ceil(total * p);
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b];
    if (seen >= want) return msOf(b);
  }
  return null;
}

function parseArgs(argv) {
  const o = { clients: 100, rate: 100, seconds: 30, mode: "events", workers: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, ""), v = argv[i + 1];
    if (v === undefined) throw new Error(`missing value for ${argv[i]}`);
    o[k] = ["base", "token", "mode"].includes(k) ? v : Number(v);
  }
  if (!o.base || !o.token) throw new Error("usage: fanout.mjs --base URL --token TOKEN [--clients N] [--rate R] [--seconds S] [--mode events|entities]");
  const host = new URL(o.base).hostname;
  if (!["127.0.0.1", "localhost"].includes(host)) throw new Error(`refusing non-loopback base ${o.base}`);
  if (!o.workers) o.workers = Math.max(1, Math.min(4, Math.ceil(o.clients / 250)));
  return o;
}

// ------------------------------------------------------------------ worker: the clients
async function runClients({ base, token, count, mode, runId }) {
  const WebSocket = require("ws");
  const url = base.replace(/^http/, "ws") + "/api/websocket";
  const hist = new Uint32Array(FINE + COARSE);
  let samples = 0, errors = 0;
  const seen = []; // per client: Set of sequence numbers
  const sockets = [];

  const onChange = (set, attrs, t) => {
    if (!attrs || attrs.run !== runId) return;
    if (set.has(attrs.seq)) return;
    set.add(attrs.seq);
    hist[bucketOf(t - attrs.sent)]++;
    samples++;
  };

  // Once subscribed to state_changed, frames are scanned for each new_state's run/seq/sent without
  // JSON.parse: at 1,000 clients x 100 changes/s, parsing every frame in full would saturate the
  // generator's core before the server's, and the latency measured would be the generator's.
  const NEW_STATE = Buffer.from('"new_state":'), RUN = Buffer.from(`"run":"${runId}"`);
  const SEQ = Buffer.from('"seq":'), SENT = Buffer.from('"sent":');
  const numberAt = (buf, at) => {
    let end = at;
    while (end < buf.length && "0123456789.-eE+".includes(String.fromCharCode(buf[end]))) end++;
    return Number(buf.toString("latin1", at, end));
  };
  const scanEvents = (set, buf, t) => {
    for (let i = buf.indexOf(NEW_STATE); i !== -1; i = buf.indexOf(NEW_STATE, i + 1)) {
      const next = buf.indexOf(NEW_STATE, i + 1), end = next === -1 ? buf.length : next;
      const run = buf.indexOf(RUN, i);
      if (run === -1 || run > end) continue;
      const seq = buf.indexOf(SEQ, i), sent = buf.indexOf(SENT, i);
      if (seq === -1 || sent === -1 || seq > end || sent > end) continue;
      onChange(set, { run: runId, seq: numberAt(buf, seq + SEQ.length), sent: numberAt(buf, sent + SENT.length) }, t);
    }
  };

  const connect = () => new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    const set = new Set();
    seen.push(set);
    sockets.push(ws);
    let subscribed = false;
    const timer = setTimeout(() => reject(new Error("client did not subscribe within 30 s")), 30000);
    ws.on("error", e => { errors++; if (!subscribed) { clearTimeout(timer); reject(e); } });
    ws.on("close", () => { if (subscribed) errors++; });
    ws.on("message", raw => {
      const t = now();
      if (subscribed && mode !== "entities") { scanEvents(set, raw, t); return; }
      let msgs = JSON.parse(raw);
      if (!Array.isArray(msgs)) msgs = [msgs];
      for (const m of msgs) {
        if (m.type === "auth_required") ws.send(JSON.stringify({ type: "auth", access_token: token }));
        else if (m.type === "auth_invalid") { clearTimeout(timer); reject(new Error(`auth_invalid: ${m.message}`)); }
        else if (m.type === "auth_ok") {
          // As home-assistant-js-websocket does against HA >= 2022.9: ask for coalesced frames first.
          ws.send(JSON.stringify({ id: 1, type: "supported_features", features: { coalesce_messages: 1 } }));
          ws.send(JSON.stringify(mode === "entities"
            ? { id: 2, type: "subscribe_entities" }
            : { id: 2, type: "subscribe_events", event_type: "state_changed" }));
        } else if (m.type === "result" && m.id === 1) {
          // supported_features acknowledged.
        } else if (m.type === "result" && m.id === 2) {
          if (!m.success) { clearTimeout(timer); reject(new Error(`subscribe failed: ${JSON.stringify(m.error)}`)); return; }
          subscribed = true;
          clearTimeout(timer);
          resolve();
        } else if (m.type === "event" && m.id === 2) {
          const ev = m.event;
          if (mode === "entities") {
            for (const group of [ev.a, ev.c]) {
              if (!group) continue;
              for (const v of Object.values(group)) onChange(set, (v["+"] ?? v).a, t);
            }
          } else {
            onChange(set, ev.data?.new_state?.attributes, t);
          }
        }
      }
    });
  });

  // Connect in batches so the accept queue is not flooded.
  for (let i = 0; i < count; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 50); j++) batch.push(connect());
    await Promise.all(batch);
  }
  parentPort.postMessage({ type: "ready" });
  parentPort.on("message", msg => {
    if (msg.type === "count") {
      let got = 0;
      for (const s of seen) got += s.size;
      parentPort.postMessage({ type: "count", got });
    } else if (msg.type === "finish") {
      let got = 0;
      for (const s of seen) got += s.size;
      for (const ws of sockets) ws.terminate();
      parentPort.postMessage({ type: "result", got, hist, samples, errors });
    }
  });
}

// ------------------------------------------------------------------ main: the writer
function post(agent, base, token, entity, body) {
  return new Promise(resolve => {
    const data = JSON.stringify(body);
    const req = http.request(`${base}/api/states/${entity}`, {
      method: "POST", agent,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(data) },
    }, res => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 || res.statusCode === 201));
    });
    req.on("error", () => resolve(false));
    req.setTimeout(10000, () => req.destroy());
    req.end(data);
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const runId = `${process.pid}-${Date.now()}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const ENTITIES = 10;
  // Create the entities first, so subscribers only see changes.
  for (let k = 0; k < ENTITIES; k++) {
    if (!await post(agent, o.base, o.token, `sensor.fanout_${k}`, { state: "0", attributes: { friendly_name: `Fan-out ${k}` } }))
      throw new Error(`could not create sensor.fanout_${k}`);
  }

  const workers = [];
  const per = Math.ceil(o.clients / o.workers);
  const t0 = now();
  for (let w = 0; w < o.workers; w++) {
    const count = Math.min(per, o.clients - w * per);
    if (count <= 0) break;
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { base: o.base, token: o.token, count, mode: o.mode, runId } });
    workers.push(worker);
  }
  const once = (worker, type) => new Promise((resolve, reject) => {
    const onMsg = m => {
      if (m.type === "fail") { worker.off("message", onMsg); reject(new Error(m.message)); }
      else if (m.type === type) { worker.off("message", onMsg); resolve(m); }
    };
    worker.on("message", onMsg);
    worker.once("error", reject);
  });
  await Promise.all(workers.map(w => once(w, "ready")));
  const connectMs = now() - t0;

  // Post `rate` changes per second, paced against the wall clock (no timer drift).
  const total = Math.round(o.rate * o.seconds);
  let sent = 0, ok = 0, postErrors = 0, inflight = 0;
  const postHist = new Uint32Array(FINE + COARSE); // each POST's round trip: the state change's own path
  const start = now();
  await new Promise(resolve => {
    const tick = () => {
      const due = Math.min(total, Math.floor((now() - start) * o.rate / 1000) + 1);
      while (sent < due) {
        const seq = ++sent;
        inflight++;
        const t0 = now();
        post(agent, o.base, o.token, `sensor.fanout_${seq % ENTITIES}`, { state: String(seq), attributes: { run: runId, seq, sent: now() } })
          .then(good => { postHist[bucketOf(now() - t0)]++; good ? ok++ : postErrors++; inflight--; if (sent >= total && inflight === 0) resolve(); });
      }
      if (sent < total) setTimeout(tick, 2);
    };
    tick();
  });
  const postSeconds = (now() - start) / 1000;

  // Wait for stragglers: every client should have seen every successful change.
  const expected = ok * o.clients;
  const deadline = now() + 10000;
  for (;;) {
    const counts = await Promise.all(workers.map(w => { const p = once(w, "count"); w.postMessage({ type: "count" }); return p; }));
    if (counts.reduce((a, c) => a + c.got, 0) >= expected || now() > deadline) break;
    await new Promise(r => setTimeout(r, 200));
  }
  const results = await Promise.all(workers.map(w => { const p = once(w, "result"); w.postMessage({ type: "finish" }); return p; }));
  await Promise.all(workers.map(w => w.terminate()));
  agent.destroy();

  const hist = new Uint32Array(FINE + COARSE);
  let received = 0, samples = 0, wsErrors = 0;
  for (const r of results) {
    received += r.got; samples += r.samples; wsErrors += r.errors;
    for (let b = 0; b < hist.length; b++) hist[b] += r.hist[b];
  }
  let max = null;
  for (let b = hist.length - 1; b >= 0; b--) if (hist[b]) { max = msOf(b); break; }
  const round = v => v == null ? null : Math.round(v * 100) / 100;
  console.log(JSON.stringify({
    clients: o.clients, mode: o.mode, rate: o.rate, seconds: o.seconds, posted: ok, post_errors: postErrors,
    post_seconds: round(postSeconds), connect_ms: Math.round(connectMs),
    expected, received, lost: expected - received, ws_errors: wsErrors,
    p50_ms: round(percentile(hist, samples, 0.5)), p99_ms: round(percentile(hist, samples, 0.99)), max_ms: round(max),
    post_p50_ms: round(percentile(postHist, total, 0.5)), post_p99_ms: round(percentile(postHist, total, 0.99)),
    cpu_ms: (u => Math.round((u.user + u.system) / 1000))(process.cpuUsage()),
  }));
}

if (isMainThread) {
  main().catch(e => { console.error(`fanout.mjs: ${e.message}`); process.exit(1); });
} else {
  runClients(workerData).catch(e => parentPort.postMessage({ type: "fail", message: `client: ${e.message}` }));
}
