// A third-party OAuth client on its own loopback port: it sends the browser to the hub's
// /auth/authorize, receives the code and state at its redirect_uri, and exchanges the code for
// tokens, as the Home Assistant companion apps and other clients do. Its page (the client_id URL)
// declares a second redirect URI on another loopback host (IndieAuth <link rel="redirect_uri">), but
// the hub never reads a client page on loopback (issue 24, item 6), so that one is refused as well,
// saying why. (A declared redirect URI being accepted is covered by the server's
// DeclaredRedirectUriTests, whose hub may read its test site on loopback.)
import { createServer } from "node:http";
import { audit, newContext, run } from "./lib.mjs";

export async function oauthRoundTrip(browser, hub, user) {
  const received = [];
  const elsewhere = [];
  const other = createServer((req, res) => {
    const url = new URL(req.url, "http://other");
    if (url.pathname !== "/callback") {
      res.writeHead(404).end(); // the browser's favicon request, after the page
      return;
    }
    elsewhere.push(url);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>Client elsewhere</title><p>The client's other host got its code.</p>");
  });
  await new Promise((resolve) => other.listen(0, "127.0.0.2", resolve));
  const declared = `http://127.0.0.2:${other.address().port}/callback`;
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://client");
    if (url.pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Client</title><link rel="redirect_uri" href="${declared}"><p>An OAuth client.</p>`);
      return;
    }
    if (url.pathname !== "/callback") {
      res.writeHead(404).end();
      return;
    }
    received.push(url);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>Client</title><p>The client got its code.</p>");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = `http://127.0.0.1:${server.address().port}`;
  const context = await newContext(browser);
  const page = await context.newPage();
  const state = "s-" + Math.random().toString(36).slice(2);
  const authorize = (redirect) =>
    `${hub}/auth/authorize?response_type=code&client_id=${encodeURIComponent(`${client}/`)}` +
    `&redirect_uri=${encodeURIComponent(redirect)}&state=${encodeURIComponent(state)}`;

  await run("OAuth: unsafe redirect_uri refused by the page", page, async () => {
    await page.goto(authorize("javascript:alert(1)"));
    await page.getByText("This login link is not valid").waitFor();
  });

  // The client's page is on loopback, which the hub never reads (issue 24, item 6): the refusal says so.
  await run("OAuth: redirect_uri off the client's host refused with the hub's message (its loopback page is never read)", page, async () => {
    await page.goto(authorize("http://127.0.0.9:9/elsewhere"));
    await page.getByText("Invalid redirect_uri").waitFor();
    await page.getByText("which the hub never connects to for a client page").waitFor();
  });

  let tokens;
  await run("OAuth: authorize round trip ends at redirect_uri with code and state", page, async () => {
    await page.goto(authorize(`${client}/callback?from=pihub`));
    await page.getByTestId("client").filter({ hasText: `127.0.0.1:${server.address().port}` }).waitFor();
    await audit(page, "authorize-third-party");
    await page.locator("#field-username").fill(user.username);
    await page.locator("#field-password").fill(user.password);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByText("The client got its code.").waitFor();
    const back = received.at(-1);
    if (back.searchParams.get("from") !== "pihub") throw new Error(`the redirect_uri's own query was lost: ${back}`);
    if (back.searchParams.get("state") !== state) throw new Error(`state came back as ${back.searchParams.get("state")}`);
    const code = back.searchParams.get("code");
    const answer = await fetch(`${hub}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: `${client}/` }),
    });
    tokens = await answer.json();
    if (!answer.ok || !tokens.access_token || !tokens.refresh_token) throw new Error(`token exchange: ${answer.status} ${JSON.stringify(tokens)}`);
    const api = await fetch(`${hub}/api/`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    if (api.status !== 200) throw new Error(`the client's access token got HTTP ${api.status} from /api/`);
    return { state_matched: true, expires_in: tokens.expires_in };
  });

  await run("OAuth: a redirect_uri its loopback page declares is refused too: the hub never reads that page", page, async () => {
    await page.goto(authorize(declared));
    await page.getByText("Invalid redirect_uri").waitFor();
    await page.getByText("which the hub never connects to for a client page").waitFor();
    if (elsewhere.length !== 0) throw new Error(`the declared host got ${elsewhere.length} request(s)`);
  });

  await context.close();
  server.close();
  other.close();
  return { client, token_type: tokens.token_type };
}
