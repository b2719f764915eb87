// The dashboard journey of issue 13 on one published hub, in Debian's chromium:
// onboarding → login → enrol TOTP → logout → login with TOTP → recovery code → long-lived token
// used with curl → live toggle seen in a second context → ban after five wrong passwords →
// trusted-network user picker → an admin lifts the ban → owner transfer → an OAuth client's
// authorize round trip. axe-core and screenshots on every page; cold-load figures at the end.
//
//   node journey.mjs '{"a":"http://127.0.0.1:P","chromium":"/usr/bin/chromium","artifacts":"DIR"}'
//
// Every browser connects from 127.0.0.1 (Linux picks that source address for all of 127.0.0.0/8),
// which the hub never bans. So the hub trusts 127.0.0.1 as a reverse proxy, and the browsers that
// stand for other machines carry X-Forwarded-For, as they would behind a proxy: 127.0.0.2 gets
// banned; 127.0.0.3 is inside the trusted network 127.0.0.3/32.
import { execFileSync } from "node:child_process";
import { audit, currentStep, launch, newContext, problems, run, setArtifacts, step, totp, writeJson, accessibility } from "./lib.mjs";
import { oauthRoundTrip } from "./oauth.mjs";
import { measureColdLoads } from "./measure.mjs";

const config = JSON.parse(process.argv[2]);
const A = config.a;
const from = (address) => ({ extraHTTPHeaders: { "X-Forwarded-For": address } });
setArtifacts(config.artifacts);
const OWNER = { name: "Alice Owner", username: "alice", password: "alice-long-password" };
const BOB = { name: "Bob Admin", username: "bob", password: "bob-long-password" };

const browser = await launch(config.chromium);
const ctxA = await newContext(browser);
const page = await ctxA.newPage();
const timings = {};

let secret;
let lastStep = 0;
let recoveryCodes;

/** The next TOTP code the hub will accept: a step not used before, within one step of now. */
function nextCode() {
  const now = currentStep();
  const use = Math.max(lastStep + 1, now - 1);
  if (use > now + 1) throw new Error("no unused TOTP step is in the hub's window yet");
  lastStep = use;
  return totp(secret, use);
}

async function loginAt(p, base, user, { code, recovery } = {}) {
  await p.goto(`${base}/`);
  await p.locator("#field-username").fill(user.username);
  await p.locator("#field-password").fill(user.password);
  await p.getByRole("button", { name: "Log in", exact: true }).click();
  if (code || recovery) {
    await p.locator("#field-code").waitFor();
    if (recovery) await p.getByRole("button", { name: "Use a recovery code instead" }).click();
    await p.locator("#field-code").fill(code ?? recovery);
    await p.getByRole("button", { name: "Verify" }).click();
  }
  await p.getByTestId("user-name").waitFor();
  if (new URL(p.url()).search) throw new Error(`the callback query stayed in the address bar: ${p.url()}`);
}

// An app's onboarding link whose redirect_uri the hub cannot verify (nothing answers at the client_id, so no page
// declares it): the page shows the hub's refusal and sends nothing there; the hub stays without an owner.
await run("onboarding: unverified redirect_uri refused", page, async () => {
  const stolen = [];
  await page.route("https://evil.example/**", (route) => {
    stolen.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${A}/onboarding.html?client_id=${encodeURIComponent("http://127.0.0.1:9/")}` +
    `&redirect_uri=${encodeURIComponent("https://evil.example/steal")}&state=s`);
  await page.locator("#name").fill(OWNER.name);
  await page.locator("#username").fill(OWNER.username);
  await page.locator("#password").fill(OWNER.password);
  await page.locator("#confirm").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner" }).click();
  await page.getByText("Invalid redirect_uri: https://evil.example/steal").first().waitFor();
  await page.getByText("No owner was created").first().waitFor();
  await page.unroute("https://evil.example/**");
  if (stolen.length > 0 || !page.url().includes("/onboarding.html")) {
    throw new Error(`the page went on after the hub refused the redirect_uri: ${page.url()} ${stolen.join(" ")}`);
  }
});

await run("onboarding", page, async () => {
  const started = Date.now();
  await page.goto(`${A}/`);
  await page.locator("#name").waitFor();
  timings.onboarding = Date.now() - started;
  if (!page.url().includes("/onboarding.html")) throw new Error(`expected the onboarding page, got ${page.url()}`);
  await audit(page, "onboarding");
  await page.locator("#name").fill(OWNER.name);
  await page.locator("#username").fill(OWNER.username);
  await page.locator("#password").fill(OWNER.password);
  await page.locator("#confirm").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner" }).click();
  await page.getByTestId("user-name").filter({ hasText: OWNER.name }).waitFor();
  return { url: page.url() };
});

await run("home", page, async () => {
  await page.locator('[data-entity="input_boolean.porch"] [role=switch]').waitFor();
  await audit(page, "home");
});

await run("enrol TOTP", page, async () => {
  await page.getByRole("link", { name: "Profile" }).click();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  secret = (await page.getByTestId("totp-secret").textContent()).trim();
  await audit(page, "profile-totp-setup");
  await page.locator("#totp-code").fill(nextCode());
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.getByTestId("recovery-codes").waitFor();
  recoveryCodes = await page.getByTestId("recovery-codes").locator("li").allTextContents();
  if (recoveryCodes.length !== 10) throw new Error(`expected 10 recovery codes, got ${recoveryCodes.length}`);
  await audit(page, "profile-recovery-codes");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download" }).click();
  const file = await (await download).path();
  const text = (await import("node:fs")).readFileSync(file, "utf8");
  if (!recoveryCodes.every((c) => text.includes(c))) throw new Error("the downloaded file lacks some recovery codes");
  await page.getByRole("button", { name: "I have saved them" }).click();
  await page.getByTestId("mfa-state").filter({ hasText: "On" }).waitFor();
  return { codes: recoveryCodes.length };
});

async function logout(p, base) {
  const refresh = await p.evaluate(() => JSON.parse(localStorage.getItem("hassTokens") ?? sessionStorage.getItem("hassTokens")).refresh_token);
  await p.getByRole("button", { name: "Log out", exact: true }).click();
  await p.locator("#field-username").waitFor();
  const answer = await fetch(`${base}/auth/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refresh, client_id: `${base}/` }),
  });
  if (answer.status !== 400) throw new Error(`the logged-out refresh token still works (HTTP ${answer.status})`);
}

await run("logout revokes the refresh token", page, () => logout(page, A));
await run("login page", page, () => audit(page, "login"));

await run("login with TOTP", page, async () => {
  await loginAt(page, A, OWNER, { code: nextCode() });
});

await run("login with a recovery code", page, async () => {
  await logout(page, A);
  await page.locator("#field-username").fill(OWNER.username);
  await page.locator("#field-password").fill(OWNER.password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await page.locator("#field-code").waitFor();
  await audit(page, "login-mfa");
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.locator("#field-code").fill(recoveryCodes[0]);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByTestId("user-name").waitFor();
});

let longLivedToken;
await run("long-lived token used with curl", page, async () => {
  await page.getByRole("link", { name: "Profile" }).click();
  await page.locator("#client_name").fill("curl from the test");
  await page.getByRole("button", { name: "Create token" }).click();
  longLivedToken = (await page.getByTestId("new-token").inputValue()).trim();
  const curl = await page.getByTestId("curl-snippet").textContent();
  await audit(page, "profile-new-token");
  // Run the snippet exactly as the page shows it.
  const states = JSON.parse(execFileSync("bash", ["-c", curl], { encoding: "utf8" }));
  if (!states.some((s) => s.entity_id === "input_boolean.porch")) throw new Error(`curl answered ${JSON.stringify(states).slice(0, 200)}`);
  await page.getByRole("button", { name: "Done, I have copied it" }).click();
  await page.getByTestId("token").filter({ hasText: "curl from the test" }).waitFor();
  await audit(page, "profile");
  return { states: states.length };
});

await run("toggle seen live in a second context", page, async () => {
  const ctxA2 = await newContext(browser, { storageState: await ctxA.storageState() });
  const second = await ctxA2.newPage();
  await page.getByRole("link", { name: "Home" }).click();
  await second.goto(`${A}/`);
  const sel = '[data-entity="input_boolean.porch"] [role=switch]';
  await second.locator(sel).waitFor();
  const before = await second.locator(sel).getAttribute("aria-checked");
  const want = before === "true" ? "false" : "true";
  const clicked = Date.now();
  await page.locator(sel).click();
  await second.locator(`${sel}[aria-checked="${want}"]`).waitFor({ timeout: 5000 });
  const latency = Date.now() - clicked;
  await ctxA2.close();
  return { latency_ms: latency, state: want };
});

await run("users page: add an administrator", page, async () => {
  await page.getByRole("link", { name: "Users" }).click();
  await page.locator("#new-name").fill(BOB.name);
  await page.locator("#new-username").fill(BOB.username);
  await page.locator("#new-password").fill(BOB.password);
  await page.locator("#new-group").selectOption("system-admin");
  await page.getByRole("button", { name: "Add user" }).click();
  await page.locator(`[data-testid=user][data-username=${BOB.username}]`).waitFor();
  await audit(page, "users");
});

const ctxB = await newContext(browser, from("127.0.0.2"));
const banned = await ctxB.newPage();
await run("five wrong passwords show the ban with its time", banned, async () => {
  await banned.goto(`${A}/`);
  for (let i = 1; i <= 5; i++) {
    await banned.locator("#field-username").fill(OWNER.username);
    await banned.locator("#field-password").fill(`wrong password ${i}`);
    const answered = banned.waitForResponse((r) => r.url().includes("/auth/login_flow/"));
    await banned.getByRole("button", { name: "Log in", exact: true }).click();
    await answered;
    if (i < 5) await banned.getByText("Wrong username or password").waitFor();
  }
  await banned.getByText(/banned until/).first().waitFor();
  const text = await banned.locator(".notice.error").textContent();
  if (!/banned until .*\d{1,2}:\d{2}/.test(text)) throw new Error(`no ban time shown: ${text}`);
  await audit(banned, "login-banned");
  return { message: text.trim().slice(0, 120) };
});

const ctxT = await newContext(browser, from("127.0.0.3"));
const trusted = await ctxT.newPage();
await run("trusted-network user picker", trusted, async () => {
  await trusted.goto(`${A}/`);
  await trusted.getByRole("button", { name: /Pick a user/ }).click();
  await trusted.locator("#field-user").selectOption({ label: BOB.name });
  await audit(trusted, "login-trusted-network");
  await trusted.getByRole("button", { name: "Log in", exact: true }).click();
  await trusted.getByTestId("user-name").filter({ hasText: BOB.name }).waitFor();
});

await run("an admin lifts the ban", trusted, async () => {
  await trusted.getByRole("link", { name: "Security" }).click();
  await trusted.locator('[data-testid=ban][data-address="127.0.0.2"]').waitFor();
  await audit(trusted, "security");
  await trusted.getByRole("button", { name: "Lift ban of 127.0.0.2" }).click();
  await trusted.getByTestId("no-bans").waitFor();
  await banned.goto(`${A}/`);
  await banned.locator("#field-username").waitFor();
  if (await banned.locator(".notice.error").count()) throw new Error("the lifted address still sees an error");
});

await run("webhook created and copied", trusted, async () => {
  await trusted.locator("#webhook-name").fill("Plex");
  await trusted.getByRole("button", { name: "Generate" }).click();
  await trusted.getByRole("button", { name: "Create webhook" }).click();
  const recipe = await trusted.getByTestId("webhook-recipe").textContent();
  await audit(trusted, "security-webhook");
  const output = execFileSync("bash", ["-c", `${recipe} -o /dev/null -w '%{http_code}'`], { encoding: "utf8" });
  if (output.trim() !== "200") throw new Error(`the signed recipe answered HTTP ${output}`);
  await trusted.getByRole("button", { name: "Done" }).click();
  await trusted.getByTestId("webhook").filter({ hasText: "Plex" }).waitFor();
});

await run("a simulated brownout shows on the System page", trusted, async () => {
  // Dev mode simulates a UPS HAT's power-fail line; the admin's REST path is what `curl` in docs/power-gpio.md uses.
  const headers = { Authorization: `Bearer ${longLivedToken}`, "Content-Type": "application/json" };
  for (const state of ["fail", "restore"]) {
    const answer = await fetch(`${A}/api/pihub/power/simulate`, { method: "POST", headers, body: JSON.stringify({ state }) });
    if (!answer.ok) throw new Error(`simulate ${state}: HTTP ${answer.status} ${await answer.text()}`);
  }
  // The hub records the brownout once power has been good for power.recovery_s (1 s in this test).
  for (let tries = 0; ; tries++) {
    const status = await (await fetch(`${A}/api/pihub/power`, { headers })).json();
    if (status.brownouts?.length > 0) break;
    if (tries > 150) throw new Error(`no brownout recorded: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await trusted.getByRole("link", { name: "System" }).click();
  await trusted.getByTestId("version").waitFor();
  const brownout = (await trusted.getByTestId("brownout").first().textContent()).trim();
  if (!brownout.includes("power-fail pin")) throw new Error(`the brownout line does not say its cause: ${brownout}`);
  await trusted.getByTestId("voltage-chart").waitFor();
  const summary = (await trusted.getByTestId("voltage-summary").textContent()).replace(/\s+/g, " ");
  if (!/lowest \d+\.\d\d V, highest \d+\.\d\d V, now \d+\.\d\d V/.test(summary) || !summary.includes("1 brownout in the last 30 days")) {
    throw new Error(`the voltage summary is not what the plot shows: ${summary}`);
  }
  await audit(trusted, "system");
  return { brownout, summary };
});

await run("owner transfer", page, async () => {
  await page.getByRole("link", { name: "Users" }).click();
  const bob = page.locator(`[data-testid=user][data-username=${BOB.username}]`);
  await bob.locator("summary").click();
  await bob.getByRole("button", { name: "Make owner" }).click();
  await bob.getByRole("button", { name: `Make ${BOB.name} the owner` }).click();
  await page.getByText(`${BOB.name} is now the owner`).waitFor();
  await bob.locator(".badge", { hasText: "Owner" }).waitFor();
  const alice = page.locator(`[data-testid=user][data-username=${OWNER.username}]`);
  if (await alice.locator(".badge", { hasText: "Owner" }).count()) throw new Error("Alice is still shown as owner");
});

const oauth = await oauthRoundTrip(browser, A, BOB);
const loads = await measureColdLoads(browser, A, await ctxA.storageState());
loads.pages.onboarding = timings.onboarding;

await browser.close();
if (problems.length) {
  console.log(JSON.stringify({ step: "no CSP violations or script errors", ok: false, error: problems.join("\n") }));
  process.exit(1);
}
step("no CSP violations or script errors");
writeJson("accessibility.json", accessibility);
writeJson("metrics.json", loads);
console.log(JSON.stringify({ step: "summary", ok: true, token: longLivedToken, oauth, loads }));
