// How many wrong-password checks per second the login endpoint lets reach the password hash,
// and how many it turns away with 429, under a flood of concurrent attempts.
// Usage: node ratelimit.mjs BASE_URL USERNAME SECONDS CONCURRENCY   (prints one JSON line)
const [base, username, seconds = "10", concurrency = "64"] = process.argv.slice(2);
const clientId = `${base}/`;
const deadline = Date.now() + Number(seconds) * 1000;
const counts = { checked: 0, throttled: 0, other: 0 };

async function post(path, body) {
  const res = await fetch(`${base}${path}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function worker() {
  while (Date.now() < deadline) {
    const flow = await post("/auth/login_flow", { client_id: clientId, handler: ["homeassistant", null], redirect_uri: clientId });
    if (flow.status !== 200) { counts.other++; continue; }
    while (Date.now() < deadline) {
      const step = await post(`/auth/login_flow/${flow.json.flow_id}`, { client_id: clientId, username, password: "wrong password!" });
      if (step.status === 429) counts.throttled++;
      else if (step.status === 200 && step.json?.errors?.base === "invalid_auth") counts.checked++;
      else { counts.other++; break; }
    }
  }
}

const started = Date.now();
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const elapsed = (Date.now() - started) / 1000;
console.log(JSON.stringify({
  seconds: elapsed, concurrency: Number(concurrency),
  checked_per_s: +(counts.checked / elapsed).toFixed(1), throttled_per_s: +(counts.throttled / elapsed).toFixed(1), ...counts,
}));
