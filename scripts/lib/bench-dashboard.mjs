// Dashboard page-load figures on a fresh, running hub, in Debian's chromium driven by playwright-core
// (the browser tests' launcher and packages, tests/PiHub.EndToEnd.Tests/Browser):
//   dashboard_<page>_load_ms   median over RUNS cold loads, each in a new browser context (empty HTTP
//                              cache, no open connections): navigation start -> the page's main content
//                              visible (its form or its data, not just the shell)
//   dashboard_<page>_js_css_gzip_kb / _br_kb
//                              JavaScript + CSS the page loads, as the hub sends them gzip-compressed
//                              (asked for separately with Accept-Encoding: gzip) and as chromium received
//                              them (Brotli)
//   dashboard_first_page_js_css_gzip_kb
//                              the same for the first page a new owner sees after logging in (home)
// Pages: onboarding (measured first, while the hub has no owner), login (/auth/authorize), root_to_login
// ("/" without tokens, which goes on to the login page), then as the owner home, profile, users,
// security, system. Prints each page's figures on standard error as it goes, then all of them as one JSON
// object on standard output: {"dashboard_home_load_ms": 312, ...}.
//
//   node scripts/lib/bench-dashboard.mjs '{"a":"http://127.0.0.1:P","chromium":"/usr/bin/chromium","runs":5}'
import { request } from "node:http";
import { launch, newContext } from "../../tests/PiHub.EndToEnd.Tests/Browser/lib.mjs";

const config = JSON.parse(process.argv[2]);
const hub = config.a;
const runs = config.runs ?? 5;
/** @type {Record<string, number>} */
const figures = {};
const OWNER = { name: "Bench Owner", username: "bench", password: "bench-long-password" };

const PAGES = [
  ["home", "/", "[data-entity]"],
  ["profile", "/profile", "[data-testid=session]"],
  ["users", "/users", "[data-testid=user]"],
  ["security", "/security", "[data-testid=no-bans], [data-testid=ban]"],
  ["system", "/system", "[data-testid=voltage-summary]"],
];

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** Bytes of the body the hub sends for `url` when asked for gzip. */
function gzipBytes(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk) => (bytes += chunk.length));
      res.on("end", () => resolve({ bytes, encoding: res.headers["content-encoding"] ?? "identity" }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** One cold load: {ms, assets: [{url, brBytes}]}. */
async function coldLoad(browser, path, ready, storageState) {
  const context = await newContext(browser, storageState ? { storageState } : {});
  const page = await context.newPage();
  const responses = [];
  page.on("response", (r) => {
    const type = r.request().resourceType();
    if (type === "script" || type === "stylesheet") responses.push(r);
  });
  // Timed from here, not from the page's own navigation start: "/" without tokens sends the browser on
  // to the login page, a second navigation a person waits through too.
  const started = performance.now();
  await page.goto(`${hub}${path}`, { waitUntil: "commit" });
  await page.locator(ready).first().waitFor({ state: "visible" });
  const ms = performance.now() - started;
  const assets = [];
  for (const r of responses) assets.push({ url: r.url(), brBytes: (await r.request().sizes()).responseBodySize });
  await context.close();
  return { ms, assets };
}

async function measure(browser, name, path, ready, storageState) {
  const loads = [];
  for (let i = 0; i < runs; i++) loads.push(await coldLoad(browser, path, ready, storageState));
  const times = loads.map((l) => l.ms);
  const assets = loads.at(-1).assets;
  let gzip = 0;
  for (const a of assets) {
    const { bytes, encoding } = await gzipBytes(a.url);
    if (encoding !== "gzip") throw new Error(`${a.url} was not sent gzip-compressed (Content-Encoding: ${encoding})`);
    gzip += bytes;
  }
  const br = assets.reduce((sum, a) => sum + a.brBytes, 0);
  const out = {
    load_ms: Math.round(median(times)),
    load_max_ms: Math.round(Math.max(...times)),
    js_css_gzip_kb: Math.round((gzip / 1024) * 10) / 10,
    js_css_br_kb: Math.round((br / 1024) * 10) / 10,
  };
  for (const [key, value] of Object.entries(out)) figures[`dashboard_${name}_${key}`] = value;
  console.error(`dashboard ${name}: ${JSON.stringify(out)}`);
  return out;
}

const browser = await launch(config.chromium);
await measure(browser, "onboarding", "/onboarding.html", "#name");

// The owner, created through the onboarding page as a person would; its tokens make the later contexts logged in.
const setup = await newContext(browser);
const page = await setup.newPage();
await page.goto(`${hub}/onboarding.html`);
await page.locator("#name").fill(OWNER.name);
await page.locator("#username").fill(OWNER.username);
await page.locator("#password").fill(OWNER.password);
await page.locator("#confirm").fill(OWNER.password);
await page.getByRole("button", { name: "Create owner" }).click();
await page.getByTestId("user-name").waitFor();
const storageState = await setup.storageState();
await setup.close();

// The login page as an OAuth client (and the dashboard) opens it, and as a person reaches it by typing the
// hub's address without tokens: "/" (its entry, src/app/boot.js, finds no tokens and moves on to it).
const state = Buffer.from(JSON.stringify({ hassUrl: hub, clientId: `${hub}/` })).toString("base64");
const authorize = `/auth/authorize?response_type=code&redirect_uri=${encodeURIComponent(`${hub}/?auth_callback=1`)}` +
  `&client_id=${encodeURIComponent(`${hub}/`)}&state=${encodeURIComponent(state)}`;
await measure(browser, "login", authorize, "#field-username");
await measure(browser, "root_to_login", "/", "#field-username");
let first;
for (const [name, path, ready] of PAGES) {
  const figures = await measure(browser, name, path, ready, storageState);
  first ??= figures;
}
figures.dashboard_first_page_js_css_gzip_kb = first.js_css_gzip_kb;
await browser.close();
console.log(JSON.stringify(figures));
