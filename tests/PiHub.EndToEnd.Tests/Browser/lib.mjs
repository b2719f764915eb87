// Shared helpers of the browser tests: Debian's chromium through playwright-core, axe-core on
// every page, screenshots at desktop and phone width, TOTP codes, one JSON line per step.
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 360, height: 760 };

/**
 * Chromium with the flags this machine needs; never a downloaded browser. playwright gives every
 * launch a fresh, empty profile (user-data-dir) of its own and deletes it on close.
 */
export async function launch(executablePath) {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A new context (empty cache and storage) whose pages fail the run on a CSP violation or script error. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  context.on("page", watch);
  return context;
}

export const problems = [];

function watch(page) {
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(message.text())) {
      problems.push(`CSP violation on ${page.url()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
}

export function step(name, detail = {}) {
  console.log(JSON.stringify({ step: name, ok: true, ...detail }));
}

/** Runs a named step; a failure prints the step, the error and the page's URL, then exits 1. */
export async function run(name, page, action) {
  const started = Date.now();
  try {
    const detail = (await action()) ?? {};
    step(name, { ms: Date.now() - started, ...detail });
    return detail;
  } catch (error) {
    const shot = page && artifacts ? join(artifacts, `FAILED-${name.replace(/\W+/g, "-")}.png`) : null;
    if (shot) await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.log(JSON.stringify({ step: name, ok: false, url: page?.url(), error: String(error?.stack ?? error), screenshot: shot }));
    process.exit(1);
  }
}

let artifacts = null;
export const accessibility = [];

export function setArtifacts(dir) {
  artifacts = dir;
  mkdirSync(dir, { recursive: true });
}

/**
 * axe-core on the page as it is now (injected through the DevTools protocol, which the page's CSP
 * does not govern), at desktop width, phone width and in dark mode, with a screenshot of each.
 * Serious and critical violations fail the run.
 */
export async function audit(page, name) {
  const original = page.viewportSize();
  const views = [
    ["desktop", DESKTOP, "light"],
    ["phone", PHONE, "light"],
    ["desktop-dark", DESKTOP, "dark"],
  ];
  for (const [label, viewport, scheme] of views) {
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => {
      document.activeElement?.blur?.();
      window.scrollTo(0, 0);
      return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    });
    await page.screenshot({ path: join(artifacts, `${name}-${label}.png`), fullPage: true });
    await page.evaluate(`${axeSource};0`);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    accessibility.push({ page: name, view: label, violations: result.violations.map((v) => `${v.impact} ${v.id}`) });
    if (bad.length > 0) {
      const text = bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      throw new Error(`axe found serious or critical violations on ${name} (${label}):\n${text.join("\n")}`);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(original ?? DESKTOP);
}

export function writeJson(name, data) {
  writeFileSync(join(artifacts, name), `${JSON.stringify(data, null, 2)}\n`);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) for the given 30-second step. */
export function totp(base32, counter) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hmac = createHmac("sha1", key).update(message).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  return String((hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

export const currentStep = () => Math.floor(Date.now() / 30_000);
