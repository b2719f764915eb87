// p50/p99 (ms) of the fan-out deliveries between two scrapes of GET /api/pihub/metrics (Prometheus text),
// from the difference of the pihub_fanout_delivery_duration_seconds buckets, interpolated linearly inside
// a bucket as Prometheus' histogram_quantile does. Used by scripts/lib/bench-fanout.sh.
//
//   node scripts/lib/fanout-quantiles.mjs BEFORE.txt AFTER.txt
//
// Prints {"count","p50_ms","p99_ms"} (the quantiles are null when no delivery happened in between).
import fs from "node:fs";
const buckets = file => {
  const m = new Map();
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const r = /^pihub_fanout_delivery_duration_seconds_bucket\{le="([^"]+)"\} (\S+)$/.exec(line);
    if (r) m.set(r[1] === "+Inf" ? Infinity : +r[1], +r[2]);
  }
  return m;
};
const before = buckets(process.argv[2]), after = buckets(process.argv[3]);
const bounds = [...after.keys()].sort((a, b) => a - b);
const cumulative = bounds.map(b => after.get(b) - (before.get(b) ?? 0));
const total = cumulative.length ? cumulative[cumulative.length - 1] : 0;
const quantile = q => {
  if (!total) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      if (bounds[i] === Infinity) return bounds[i - 1] * 1000; // above the last bound: that bound, as Prometheus does
      const lower = i ? bounds[i - 1] : 0, below = i ? cumulative[i - 1] : 0, inBucket = cumulative[i] - below;
      return (lower + (bounds[i] - lower) * (inBucket ? (rank - below) / inBucket : 1)) * 1000;
    }
  }
  return null;
};
const round = v => v == null ? null : Math.round(v * 1000) / 1000;
console.log(JSON.stringify({ count: total, p50_ms: round(quantile(0.5)), p99_ms: round(quantile(0.99)) }));
