// The report of scripts/bench.sh (and of scripts/bench-dashboard.sh on its own) from the figures file that
// every measuring program wrote (JSON lines {"variant", "figures"}; scripts/lib/bench-figures.mjs).
//
//   node bench-report.mjs run FIGURES OUT.json DAT SETTINGS_JSON
//       writes OUT.json {date, commit, smoke, host, settings, results, ratios, targets} and DAT (the ratios
//       for gnuplot), prints the table of figures (a column per variant), the ratios and the targets
//   node bench-report.mjs dashboard FIGURES_JSON COMMIT RUNS OUT.json
//       scripts/bench-dashboard.sh's table and bench-results/<time>-dashboard.json
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

/** @typedef {Record<string, Record<string, number | string>>} Results */
/** @typedef {{ value: number, met: boolean, issue: number }} Target */

/** @param {number | string | undefined} v @returns {number | null} */
const num = (v) => (typeof v === "number" && v > 0 ? v : null);
/** @param {number | string | undefined} v @returns {number | null} */
const count = (v) => (typeof v === "number" ? v : null);

/**
 * The targets, one per figure (the latest issue's where an issue tightened an earlier one; issue 5's
 * "idle RSS <= 40 MB", "GET p99 <= 5 ms" and "fan-out 1,000 p99 <= 50 ms" gave way to issue 15's).
 * @param {Results} r
 * @returns {Record<string, Target>}
 */
function targets(r) {
  const a = r["aot-x64"] ?? {}, p = r["pihub-power"] ?? {}, d = r.dashboard ?? {};
  const loads = Object.entries(d).filter(([k, v]) => /_load_ms$/.test(k) && typeof v === "number").map(([, v]) => +v);
  /** @type {[string, number | null, (v: number) => boolean, number][]} */
  const table = [
    ["idle RSS <= 25 MB", num(a.idle_rss_mb), (v) => v <= 25, 15],
    ["CPU per request <= 0.065 ms", num(a.states_cpu_per_req_ms), (v) => v <= 0.065, 5],
    ["GET p99 <= 1 ms", num(a.states_p99_ms), (v) => v <= 1, 15],
    ["pihub-cli status <= 50 ms", num(a.cli_status_ms), (v) => v <= 50, 5],
    ["fan-out 100 p99 <= 3 ms", num(a.fanout_100_p99_ms), (v) => v <= 3, 15],
    ["fan-out 1,000 p99 <= 25 ms", num(a.fanout_1000_p99_ms), (v) => v <= 25, 15],
    ["fan-out 1,000 server CPU <= 3 us/delivery", num(a.fanout_1000_cpu_us_per_delivery), (v) => v <= 3, 15],
    ["fan-out 100 lost == 0", count(a.fanout_100_lost), (v) => v === 0, 5],
    ["fan-out 1,000 lost == 0", count(a.fanout_1000_lost), (v) => v === 0, 5],
    ["recorder <= 5 MB/h (100 entities x 1/min)", count(a.recorder_bytes_per_hour), (v) => v <= 5 * 1024 * 1024, 12],
    ["recorder idle <= 100 KB/h", count(a.recorder_idle_bytes_per_hour), (v) => v <= 100 * 1024, 12],
    ["history query, one entity, one day <= 20 ms", num(a.history_query_day_ms), (v) => v <= 20, 12],
    ["power-fail edge to flushed p99 <= 10 ms", num(p.power_fail_p99_ms), (v) => v <= 10, 14],
    ["every dashboard page under 1 s", loads.length ? Math.max(...loads) : null, (v) => v < 1000, 13],
    ["first page JS + CSS <= 100 KB gzip", num(d.dashboard_first_page_js_css_gzip_kb), (v) => v <= 100, 13],
  ];
  /** @type {Record<string, Target>} */
  const out = {};
  for (const [name, value, ok, issue] of table) if (value != null) out[name] = { value, met: ok(value), issue };
  return out;
}

/**
 * Ratios, each between two figures of this run; > 1 means PiHub (the AOT build) is better.
 * @param {Results} r
 */
function ratios(r) {
  const a = r["aot-x64"] ?? {}, j = r["jit-x64"] ?? {};
  /** @type {Record<string, { value: number, target?: number, met?: boolean }>} */
  const out = {};
  /** @param {number | string | undefined} x @param {number | string | undefined} y */
  const ratio = (x, y) => { const n = num(x), d = num(y); return n && d ? Math.round((n / d) * 100) / 100 : null; };
  /** @param {string} name @param {number | null} value @param {number | null} [target] */
  const add = (name, value, target = null) => {
    if (value != null) out[name] = target == null ? { value } : { value, target, met: value >= target };
  };
  add("JIT/AOT CPU to ready", ratio(j.cpu_to_ready_ms, a.cpu_to_ready_ms));
  add("JIT/AOT idle RSS", ratio(j.idle_rss_mb, a.idle_rss_mb));
  add("AOT/JIT req/s", ratio(a.states_rps, j.states_rps));
  for (const [peer, label] of [["node-red", "Node-RED"], ["homebridge-ui", "Homebridge UI"]]) {
    const p = r[peer];
    if (!p) continue;
    add(`${label}/PiHub CPU to ready`, ratio(p.cpu_to_ready_ms, a.cpu_to_ready_ms), peer === "node-red" ? 5 : null);
    add(`${label}/PiHub idle RSS`, ratio(p.idle_rss_mb, a.idle_rss_mb));
    add(`PiHub/${label} req/s`, ratio(a.states_rps, p.get_rps), peer === "node-red" ? 10 : null);
    add(`${label}/PiHub CPU per request`, ratio(p.get_cpu_per_req_ms, a.states_cpu_per_req_ms));
    add(`${label}/PiHub login`, ratio(p.login_ms, a.login_ms));
  }
  return out;
}

/** @param {string} file @returns {Results} */
function readFigures(file) {
  /** @type {Results} */
  const results = {};
  for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const { variant, figures } = JSON.parse(line);
    Object.assign((results[variant] ??= {}), figures);
  }
  return results;
}

/** @param {Results} results */
function printTable(results) {
  const variants = Object.keys(results);
  const metrics = [...new Set(variants.flatMap((v) => Object.keys(results[v])))];
  const table = [["metric", ...variants], ...metrics.map((m) => [m, ...variants.map((v) => String(results[v][m] ?? "-"))])];
  const w = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log(row.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join("  "));
}

/** @param {string} title @param {Record<string, { value: number, target?: number, met?: boolean }>} o */
function show(title, o) {
  const e = Object.entries(o);
  if (!e.length) return;
  console.log(title);
  const w = Math.max(...e.map(([k]) => k.length));
  for (const [k, v] of e) {
    const target = v.target != null ? `  (target >= ${v.target})` : "";
    console.log(`  ${k.padEnd(w)}  ${String(v.value).padStart(8)}${target}${v.met == null ? "" : v.met ? "  met" : "  NOT met"}`);
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === "run") {
  const [figures, file, dat, settingsJson] = args;
  const { commit, smoke, ...settings } = JSON.parse(settingsJson);
  const results = readFigures(figures);
  const cpus = os.cpus();
  const out = {
    date: new Date().toISOString(), commit, smoke,
    host: { cpus: cpus.length, model: cpus[0]?.model, memMb: Math.round(os.totalmem() / 1048576), load: os.loadavg() },
    // placement: "pinned" (server on core 0, wrk and the fan-out generator on core 1) or "shared-cores".
    settings,
    results,
    ratios: ratios(results),
    targets: targets(results),
  };
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  writeFileSync(dat, Object.entries(out.ratios).map(([k, v]) => `"${k}" ${v.value} ${v.target ?? 0}\n`).join(""));
  printTable(results);
  console.log();
  show("ratios (same run; > 1 = PiHub better):", out.ratios);
  show("targets:", out.targets);
} else if (command === "dashboard") {
  const [figuresJson, commit, runs, file] = args;
  const results = JSON.parse(figuresJson);
  const all = targets({ dashboard: results });
  const out = { date: new Date().toISOString(), commit, runs: +runs, results, targets: all };
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(44)} ${v}`);
  show("targets:", all);
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
} else {
  console.error(`error: unknown command '${command}'; see the header of scripts/lib/bench-report.mjs`);
  process.exit(1);
}
