// @ts-check
// The dashboard's entry: decides before loading the dashboard's code (Lit, the pages, the WebSocket
// client) whether there is anything to show. A browser without tokens is sent straight to the login
// page, exactly where home-assistant-js-websocket's getAuth() would send it after loading all that
// (same client_id, redirect_uri and state), so typing the hub's address lands on the login page at once.
// Anything else (tokens kept, or the login coming back with ?auth_callback) loads the dashboard, which
// handles it as before: tokens the hub no longer accepts end in lib/session.js's relogin().
const KEY = "hassTokens"; // lib/session.js keeps the tokens under this name

function hasTokens() {
  try {
    return Boolean(localStorage.getItem(KEY) ?? sessionStorage.getItem(KEY));
  } catch {
    return false; // storage disabled: the dashboard could not keep tokens either
  }
}

function authorizeUrl() {
  const { origin, pathname, search } = location;
  const clientId = `${origin}/`;
  const back = `${origin}${pathname}${search}`;
  const redirectUri = `${back}${back.includes("?") ? "&" : "?"}auth_callback=1`;
  const state = btoa(JSON.stringify({ hassUrl: origin, clientId }));
  return (
    `/auth/authorize?response_type=code&redirect_uri=${encodeURIComponent(redirectUri)}` +
    `&client_id=${encodeURIComponent(clientId)}&state=${encodeURIComponent(state)}`
  );
}

if (new URLSearchParams(location.search).has("auth_callback") || hasTokens()) {
  import("./main.js").catch(() => {
    const app = document.querySelector("pihub-app");
    if (app) app.textContent =
      `Could not load the dashboard from ${location.host}. Check that the hub is running, then reload the page.`;
  });
} else {
  location.replace(authorizeUrl());
}
