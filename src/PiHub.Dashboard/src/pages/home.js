// @ts-check
// Home: every entity, grouped by area (when the hub has an area registry) and by domain, kept
// live by subscribe_entities; toggles for switch and input_boolean; banners for power and store
// trouble; persistent notifications with dismiss.
import { html, nothing } from "lit";
import { subscribeEntities } from "home-assistant-js-websocket";
import { View, notice } from "../lib/element.js";
import { send, sendOptional } from "../lib/ws.js";
import { formatTime, fromNow } from "../lib/time.js";
import { banners } from "./home-banners.js";

const TOGGLES = new Set(["switch", "input_boolean"]);
const DOMAIN_TITLES = {
  input_boolean: "Toggles",
  switch: "Switches",
  light: "Lights",
  sensor: "Sensors",
  binary_sensor: "Binary sensors",
  person: "People",
  sun: "Sun",
};

export function entityName(entity) {
  return entity.attributes.friendly_name ?? entity.entity_id.split(".")[1].replaceAll("_", " ");
}

class PiHubHome extends View {
  static properties = {
    session: { attribute: false },
    _entities: { state: true },
    _areas: { state: true },
    _notifications: { state: true },
    _pending: { state: true },
    _error: { state: true },
  };

  constructor() {
    super();
    /** @type {import("../lib/session.js").Session} */
    this.session;
    this._pending = new Set();
    /** The state each entity had when its toggle was sent: it is pending until the state differs. @type {Map<string, string>} */
    this._pendingFrom = new Map();
    this._areas = null;
  }

  connectedCallback() {
    super.connectedCallback();
    const conn = this.session.conn;
    this._unsubEntities = subscribeEntities(conn, (entities) => {
      this._entities = entities;
      if (this._pending.size) this._pending = new Set([...this._pending].filter((id) => !this._changed(id)));
    });
    this._loadAreas();
    this._loadNotifications();
    this._unsubNotifications = conn.subscribeEvents(() => this._loadNotifications(), "persistent_notifications_updated");
  }

  disconnectedCallback() {
    this._unsubEntities?.();
    this._unsubNotifications?.then((unsub) => unsub()).catch(() => {});
    super.disconnectedCallback();
  }

  /** Areas come from the registries when this hub has them; else entities are grouped by domain only. */
  async _loadAreas() {
    const conn = this.session.conn;
    try {
      const areas = await sendOptional(conn, { type: "config/area_registry/list" });
      if (!areas) return;
      const [entities, devices] = await Promise.all([
        sendOptional(conn, { type: "config/entity_registry/list" }),
        sendOptional(conn, { type: "config/device_registry/list" }),
      ]);
      const names = new Map(areas.map((a) => [a.area_id, a.name]));
      const deviceArea = new Map((devices ?? []).map((d) => [d.id, d.area_id]));
      const byEntity = new Map();
      for (const e of entities ?? []) {
        const area = e.area_id ?? deviceArea.get(e.device_id);
        if (area && names.has(area)) byEntity.set(e.entity_id, names.get(area));
      }
      this._areas = byEntity;
    } catch {
      // Registries are an extra: without them the page still groups by domain.
      this._areas = null;
    }
  }

  async _loadNotifications() {
    try {
      const all = await send(this.session.conn, { type: "persistent_notification/get" });
      this._notifications = Object.values(all ?? {});
    } catch (error) {
      this._error = error;
    }
  }

  _changed(entityId) {
    return this._pendingFrom?.get(entityId) !== this._entities?.[entityId]?.state;
  }

  async _toggle(entity) {
    const [domain] = entity.entity_id.split(".");
    this._pendingFrom.set(entity.entity_id, entity.state);
    this._pending = new Set([...this._pending, entity.entity_id]);
    try {
      await send(this.session.conn, {
        type: "call_service",
        domain,
        service: entity.state === "on" ? "turn_off" : "turn_on",
        target: { entity_id: entity.entity_id },
      });
      this._error = null;
    } catch (error) {
      this._pending = new Set([...this._pending].filter((id) => id !== entity.entity_id));
      this._error = error;
    }
  }

  async _dismiss(id) {
    try {
      await send(this.session.conn, {
        type: "call_service",
        domain: "persistent_notification",
        service: "dismiss",
        service_data: { notification_id: id },
      });
    } catch (error) {
      this._error = error;
    }
  }

  render() {
    const entities = this._entities ? Object.values(this._entities) : null;
    return html`<div class="page-title"><h1 tabindex="-1">Home</h1>
        ${entities ? html`<span class="muted small">${entities.length} ${entities.length === 1 ? "entity" : "entities"}, live</span>` : nothing}</div>
      ${banners(this._entities, this._notifications)}
      ${this._error ? notice("error", this._error) : nothing}
      ${this._notificationsView()}
      ${entities === null ? html`<p class="muted" role="status">Loading entities…</p>` : this._groups(entities)}`;
  }

  _notificationsView() {
    const list = (this._notifications ?? []).filter((n) => n.notification_id !== "auth_store_recovery");
    const recovery = (this._notifications ?? []).find((n) => n.notification_id === "auth_store_recovery");
    const shown = recovery ? [recovery, ...list] : list;
    if (shown.length === 0) return nothing;
    return html`<section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications <span class="badge">${shown.length}</span></h2>
      <ul class="list">
        ${shown.map(
          (n) => html`<li data-testid="notification">
            <div class="grow">
              <strong>${n.title ?? "Notification"}</strong>
              <p class="small">${n.message}</p>
              <span class="muted small">${formatTime(n.created_at)}</span>
            </div>
            <button class="small" @click=${() => this._dismiss(n.notification_id)}
              aria-label="Dismiss ${n.title ?? "notification"}">Dismiss</button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  _groups(entities) {
    if (entities.length === 0) {
      return notice("info", "No entities yet. They come from the hub's configuration (input_boolean in the config file) and from clients that set states through the API.");
    }
    const areas = new Map();
    for (const entity of entities) {
      const area = this._areas?.get(entity.entity_id) ?? (this._areas ? "Other" : "");
      const domain = entity.entity_id.split(".")[0];
      if (!areas.has(area)) areas.set(area, new Map());
      const domains = areas.get(area);
      if (!domains.has(domain)) domains.set(domain, []);
      domains.get(domain).push(entity);
    }
    const order = [...areas.keys()].sort((a, b) => Number(a === "Other") - Number(b === "Other") || a.localeCompare(b));
    return order.map(
      (area) => html`<section class="area" aria-label=${area || "Entities"}>
        ${area ? html`<h2>${area}</h2>` : nothing}
        ${[...areas.get(area).entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(
            ([domain, list]) => html`<h3 class="domain-title">${DOMAIN_TITLES[domain] ?? domain.replaceAll("_", " ")}</h3>
              <div class="entities">${list.sort((a, b) => entityName(a).localeCompare(entityName(b))).map((e) => this._entity(e))}</div>`,
          )}
      </section>`,
    );
  }

  _entity(entity) {
    const domain = entity.entity_id.split(".")[0];
    const name = entityName(entity);
    const unit = entity.attributes.unit_of_measurement;
    const canToggle = TOGGLES.has(domain) && (entity.state === "on" || entity.state === "off");
    const id = `entity-${entity.entity_id.replace(".", "-")}`;
    return html`<div class="entity" data-entity=${entity.entity_id}>
      <div class="name">
        <span id=${id}>${name}</span>
        <span class="muted small" title=${entity.entity_id}>${fromNow(entity.last_changed)}</span>
      </div>
      ${canToggle
        ? html`<button class="switch" role="switch" aria-checked=${entity.state === "on" ? "true" : "false"}
            aria-labelledby=${id} ?disabled=${this._pending.has(entity.entity_id)} @click=${() => this._toggle(entity)}></button>`
        : html`<span class="state" data-testid="state">${entity.state}${unit ? ` ${unit}` : ""}</span>`}
    </div>`;
  }
}

customElements.define("pihub-home", PiHubHome);
