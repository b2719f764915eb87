// The kernel's own cost of one WebSocket-sized write on loopback TCP, on this machine: the floor under the
// hub's server CPU per delivered fan-out message, which writes each delivery as one frame on its own socket.
//
//   node scripts/lib/sendfloor.mjs [--sockets 1000] [--rounds 200] [--rate 100] [--bytes 400] [--reader-cpu C]
//
// This process accepts --sockets loopback connections from a reader child (pinned to core C with taskset when
// --reader-cpu is given, as the fan-out generator is), then writes --bytes to every socket once per round,
// --rate rounds a second, as the hub does for one state change with that many subscribers: the reader sleeps
// between rounds, so each write also pays for waking it, as a real client's would. Node's writes on an idle
// socket go straight to write(2), one system call each. Prints one JSON line:
//   {"writes","bytes","sys_us_per_write","user_us_per_write","reader_cpu_ms"}
// sys_us_per_write is the kernel CPU this process spent per write (process.cpuUsage, all threads): TCP, the
// loopback device and the receiving side's softirq all run in the writer's context. Loopback only.
import net from "node:net";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

function parseArgs(argv) {
  const o = { sockets: 1000, rounds: 200, rate: 100, bytes: 400, "reader-cpu": null, reader: null };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, ""), v = argv[i + 1];
    if (!(k in o) || v === undefined) throw new Error(`usage: sendfloor.mjs [--sockets N] [--rounds N] [--rate R] [--bytes B] [--reader-cpu C] (bad: ${argv[i]})`);
    o[k] = Number(v);
  }
  return o;
}

// ------------------------------------------------------------------ reader: the clients
function runReader(port, sockets, expected) {
  let got = 0, open = 0;
  for (let i = 0; i < sockets; i++) {
    const s = net.connect(port, "127.0.0.1", () => { if (++open === sockets) process.stdout.write("ready\n"); });
    s.on("data", d => {
      got += d.length;
      if (got >= expected) {
        const u = process.cpuUsage();
        process.stdout.write(`done ${Math.round((u.user + u.system) / 1000)}\n`);
        process.exit(0);
      }
    });
    s.on("error", e => { console.error(`sendfloor reader: ${e.message}`); process.exit(1); });
  }
}

// ------------------------------------------------------------------ writer: measured
async function main() {
  const o = parseArgs(process.argv.slice(2));
  const accepted = [];
  const server = net.createServer(s => { s.setNoDelay(true); accepted.push(s); });
  await new Promise(r => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  const expected = o.sockets * o.rounds * o.bytes;
  const self = fileURLToPath(import.meta.url);
  const args = [self, "--reader", String(port), "--sockets", String(o.sockets), "--rounds", String(o.rounds), "--bytes", String(o.bytes)];
  const child = o["reader-cpu"] == null
    ? spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] })
    : spawn("taskset", ["-c", String(o["reader-cpu"]), process.execPath, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = [];
  let waiter = null;
  child.stdout.setEncoding("utf8").on("data", d => { lines.push(...d.split("\n").filter(Boolean)); waiter?.(); });
  const line = prefix => new Promise((resolve, reject) => {
    const check = () => {
      const i = lines.findIndex(l => l.startsWith(prefix));
      if (i !== -1) { waiter = null; resolve(lines.splice(i, 1)[0]); }
    };
    waiter = check;
    child.once("exit", code => reject(new Error(`reader exited (${code}) before "${prefix}"`)));
    check();
  });
  await line("ready");
  while (accepted.length < o.sockets) await new Promise(r => setTimeout(r, 5));

  const payload = Buffer.alloc(o.bytes, 0x61);
  const before = process.cpuUsage();
  const start = performance.now();
  for (let r = 0; r < o.rounds; r++) {
    for (const s of accepted) s.write(payload);
    const due = start + (r + 1) * 1000 / o.rate;
    await new Promise(res => setTimeout(res, Math.max(0, due - performance.now())));
  }
  const used = process.cpuUsage(before);
  const readerCpu = Number((await line("done")).split(" ")[1]);
  const writes = o.sockets * o.rounds;
  const round = v => Math.round(v * 100) / 100;
  console.log(JSON.stringify({
    writes, bytes: o.bytes,
    sys_us_per_write: round(used.system / writes), user_us_per_write: round(used.user / writes),
    reader_cpu_ms: readerCpu,
  }));
  for (const s of accepted) s.destroy();
  server.close();
}

const argv = process.argv.slice(2);
if (argv[0] === "--reader") {
  const o = parseArgs(argv.slice(2));
  runReader(Number(argv[1]), o.sockets, o.sockets * o.rounds * o.bytes);
} else {
  main().catch(e => { console.error(`sendfloor.mjs: ${e.message}`); process.exit(1); });
}
