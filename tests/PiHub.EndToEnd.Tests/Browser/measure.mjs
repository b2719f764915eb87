// Cold loads: each page in a new browser context (empty HTTP cache and connection pool), timed
// from navigation to the page showing its data; and the JavaScript + CSS bytes a first visit
// transfers (compressed, as sent over the wire).
import { newContext, run } from "./lib.mjs";

const PAGES = [
  ["home", "/", '[data-entity]'],
  ["profile", "/profile", "[data-testid=session]"],
  ["users", "/users", "[data-testid=user]"],
  ["security", "/security", "[data-testid=no-bans], [data-testid=ban]"],
  ["system", "/system", "[data-testid=version]"],
];

async function load(browser, url, ready, storageState) {
  const context = await newContext(browser, storageState ? { storageState } : {});
  const page = await context.newPage();
  const responses = [];
  page.on("response", (r) => responses.push(r));
  const started = Date.now();
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  const ms = Date.now() - started;
  let bytes = 0;
  for (const r of responses) {
    const type = r.request().resourceType();
    if (type === "script" || type === "stylesheet") bytes += (await r.request().sizes()).responseBodySize;
  }
  await context.close();
  return { ms, jsCssBytes: bytes };
}

export async function measureColdLoads(browser, hub, storageState) {
  const result = { pages: {}, firstVisitJsCssBytes: {} };
  await run("cold loads", null, async () => {
    const login = await load(browser, `${hub}/`, "#field-username", null);
    result.pages.login = login.ms;
    result.firstVisitJsCssBytes.login = login.jsCssBytes;
    for (const [name, path, ready] of PAGES) {
      const { ms, jsCssBytes } = await load(browser, `${hub}${path}`, ready, storageState);
      result.pages[name] = ms;
      if (name === "home") result.firstVisitJsCssBytes.home = jsCssBytes;
    }
    return result;
  });
  return result;
}
