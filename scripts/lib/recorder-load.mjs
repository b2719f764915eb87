// Recorder load for scripts/bench.sh: ENTITIES sensors, each changing once a minute at the real
// rate (entity i at second 60·i/ENTITIES of every minute), POSTed to /api/states for SECONDS.
//
//   node scripts/lib/recorder-load.mjs --base http://127.0.0.1:PORT --token TOKEN [--entities 100] [--seconds 180] [--create]
//
// --create first sets every entity once (so the measured run changes existing entities only).
// Prints one JSON line: {"entities","seconds","posted","errors"}.
// Loopback only: refuses any --base that is not 127.0.0.1/localhost.
import http from "node:http";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith("--")) pairs.push([a.slice(2), all[i + 1]?.startsWith("--") || all[i + 1] === undefined ? "1" : all[i + 1]]);
  return pairs;
}, []));
const base = new URL(args.base ?? "");
if (!["127.0.0.1", "localhost"].includes(base.hostname)) {
  console.error("recorder-load: --base must be a loopback URL such as http://127.0.0.1:8123");
  process.exit(2);
}
const entities = Number(args.entities ?? 100);
const seconds = Number(args.seconds ?? 180);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let posted = 0, errors = 0, value = 0;

// --create sets every entity to "0"; the run then gives each POST a new value (0.1, 0.2, …), so
// every POST is a real state change (an unchanged state is not recorded, as in Home Assistant).
function post(i) {
  const body = JSON.stringify({
    state: args.create ? "0" : ((++value % 5000) / 10).toFixed(1),
    attributes: { unit_of_measurement: "W", device_class: "power", state_class: "measurement", friendly_name: `Bench ${i}` },
  });
  return new Promise((resolve) => {
    const req = http.request({
      host: base.hostname, port: base.port, path: `/api/states/sensor.bench_${i}`, method: "POST", agent,
      headers: { Authorization: `Bearer ${args.token}`, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode === 200 || res.statusCode === 201) posted++; else errors++;
        resolve();
      });
    });
    req.on("error", () => { errors++; resolve(); });
    req.end(body);
  });
}

if (args.create) {
  for (let i = 1; i <= entities; i++) await post(i);
} else {
  const start = performance.now();
  const interval = 60000 / entities;
  for (let k = 0; ; k++) {
    const due = start + k * interval;
    if (due - start >= seconds * 1000) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await post((k % entities) + 1);
  }
}
agent.destroy();
console.log(JSON.stringify({ entities, seconds: args.create ? 0 : seconds, posted, errors }));
