// @ts-check
// The dashboard shell, loaded by boot.js once there are tokens or a login to finish: logs in through
// the authorize page (lib/session.js), then shows one page at a time under a top bar. Routes are
// plain paths the hub serves with this same HTML file.
import "../styles.css";
import { html, nothing } from "lit";
import { View, notice } from "../lib/element.js";
import { connect, logout } from "../lib/session.js";
import "../pages/home.js";
import "../pages/profile.js";
import "../pages/users.js";
import "../pages/security.js";
import "../pages/system.js";
import icon from "../icon.svg";

const ROUTES = [
  { path: "/", title: "Home", tag: "pihub-home" },
  { path: "/profile", title: "Profile", tag: "pihub-profile" },
  { path: "/users", title: "Users", tag: "pihub-users", admin: true },
  { path: "/security", title: "Security", tag: "pihub-security", admin: true },
  { path: "/system", title: "System", tag: "pihub-system" },
];

class PiHubApp extends View {
  static properties = {
    _session: { state: true },
    _error: { state: true },
    _path: { state: true },
    _offline: { state: true },
  };

  constructor() {
    super();
    this._path = location.pathname;
    this._onPop = () => (this._path = location.pathname);
  }

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener("popstate", this._onPop);
    connect().then(
      (session) => {
        this._session = session;
        session.conn.addEventListener("disconnected", () => (this._offline = true));
        session.conn.addEventListener("ready", () => (this._offline = false));
      },
      (error) => (this._error = error),
    );
  }

  disconnectedCallback() {
    window.removeEventListener("popstate", this._onPop);
    super.disconnectedCallback();
  }

  _navigate(event) {
    const link = event.target.closest("a[data-route]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (link.pathname !== location.pathname) history.pushState(null, "", link.pathname);
    this._path = link.pathname;
    window.scrollTo(0, 0);
    this.updateComplete.then(() => this._focus("main h1"));
  }

  render() {
    if (this._error) {
      return html`<div class="auth-shell">
        <div class="brand"><img src=${icon} alt="" />PiHub</div>
        <div class="card">
          <h1>Cannot open the dashboard</h1>
          ${notice("error", this._error)}
          <a class="button primary full" href="/">Log in again</a>
        </div>
      </div>`;
    }
    const session = this._session;
    if (!session) return html`<p class="boot" role="status">Connecting to the hub…</p>`;
    const { user } = session;
    const routes = ROUTES.filter((r) => !r.admin || user.is_admin);
    const route = ROUTES.find((r) => r.path === this._path) ?? ROUTES[0];
    document.title = `${route.title} – PiHub`;
    return html`
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="/" data-route @click=${this._navigate}><img src=${icon} alt="" />PiHub</a>
          <nav class="nav" aria-label="Pages" @click=${this._navigate}>
            ${routes.map(
              (r) => html`<a href=${r.path} data-route aria-current=${r === route ? "page" : "false"}>${r.title}</a>`,
            )}
          </nav>
          <div class="who">
            <span class="muted" data-testid="user-name">${user.name}</span>
            <button class="small" @click=${() => logout(session.auth, session.conn)}>Log out</button>
          </div>
        </div>
      </header>
      <main>
        ${this._offline ? notice("warn", "The connection to the hub was lost; reconnecting…") : nothing}
        ${route.admin && !user.is_admin
          ? html`<h1 tabindex="-1">${route.title}</h1>${notice("info", "This page is for administrators of this hub.")}`
          : this._page(route)}
      </main>`;
  }

  _page(route) {
    const s = this._session;
    switch (route.tag) {
      case "pihub-profile":
        return html`<pihub-profile .session=${s}></pihub-profile>`;
      case "pihub-users":
        return html`<pihub-users .session=${s}></pihub-users>`;
      case "pihub-security":
        return html`<pihub-security .session=${s}></pihub-security>`;
      case "pihub-system":
        return html`<pihub-system .session=${s}></pihub-system>`;
      default:
        return html`<pihub-home .session=${s}></pihub-home>`;
    }
  }
}

customElements.define("pihub-app", PiHubApp);
