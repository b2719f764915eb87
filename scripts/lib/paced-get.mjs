// Paced GETs: the round trip of one request to a server that is idle between requests, as a state change
// at 100 a second finds the hub. One keep-alive connection, --rate requests a second, --count of them.
//
//   node scripts/lib/paced-get.mjs --url URL [--token TOKEN] [--count 300] [--rate 100]
//   node scripts/lib/paced-get.mjs --bare [--server-cpu C] [--count 300] [--rate 100]
//
// --bare measures the same against a bare Node.js HTTP server started here (pinned to core C with taskset
// when given) that answers {"message":"API running."} at once: the machine's own floor for a request that
// wakes an idle server, with no PiHub code in it. Prints one JSON line: {"count","p50_ms","p99_ms","max_ms"}.
// Loopback only.
import http from "node:http";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

function parseArgs(argv) {
  const o = { url: null, token: null, count: 300, rate: 100, bare: false, "server-cpu": null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, "");
    if (k === "bare") { o.bare = true; continue; }
    if (!(k in o) || argv[i + 1] === undefined) throw new Error(`usage: paced-get.mjs --url URL [--token T] | --bare [--server-cpu C]; [--count N] [--rate R] (bad: ${argv[i]})`);
    o[k] = ["url", "token"].includes(k) ? argv[++i] : Number(argv[++i]);
  }
  if (!o.bare && !o.url) throw new Error("paced-get.mjs: give --url or --bare");
  if (o.url && !["127.0.0.1", "localhost"].includes(new URL(o.url).hostname)) throw new Error(`refusing non-loopback url ${o.url}`);
  return o;
}

// The bare server: answers every request at once and prints its port.
function serve() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => { res.setHeader("content-type", "application/json"); res.end('{"message":"API running."}'); });
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
}

async function startBare(cpu) {
  const args = [fileURLToPath(import.meta.url), "--serve"];
  const child = cpu == null
    ? spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] })
    : spawn("taskset", ["-c", String(cpu), process.execPath, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8").once("data", d => resolve(Number(d.trim())));
    child.once("exit", code => reject(new Error(`bare server exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}/api/` };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const bare = o.bare ? await startBare(o["server-cpu"]) : null;
  const url = bare?.url ?? o.url;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = o.token ? { authorization: `Bearer ${o.token}` } : {};
  const once = () => new Promise((resolve, reject) => {
    const t0 = performance.now();
    http.get(url, { agent, headers }, res => {
      res.resume();
      res.on("end", () => res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`GET ${url} answered ${res.statusCode}`)));
    }).on("error", reject);
  });
  await once(); // the connection, set up once
  const times = [];
  const start = performance.now();
  for (let i = 0; i < o.count; i++) {
    times.push(await once());
    const due = start + (i + 1) * 1000 / o.rate;
    await new Promise(r => setTimeout(r, Math.max(0, due - performance.now())));
  }
  agent.destroy();
  bare?.child.kill();
  times.sort((a, b) => a - b);
  const at = p => Math.round(times[Math.min(times.length - 1, Math.ceil(times.length * p) - 1)] * 100) / 100;
  console.log(JSON.stringify({ count: times.length, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1) }));
}

if (process.argv[2] === "--serve") serve();
else main().catch(e => { console.error(`paced-get.mjs: ${e.message}`); process.exit(1); });
