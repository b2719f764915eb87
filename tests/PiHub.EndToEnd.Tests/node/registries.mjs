// The registries and PiHub's answers for what it does not do, through Home Assistant's own client
// library, the way the frontend and Node-RED load registries (getCollection + the *_registry_updated
// event). The hub must be configured as RegistryClientTests.cs does (areas porch and kitchen on
// floor ground, label lights, input_boolean.porch in the porch with the label).
// Usage: node registries.mjs http://127.0.0.1:PORT
// Prints one JSON line per step; exits 0 only when every step passed.
import WebSocket from "ws";
import { callService, createConnection, createLongLivedTokenAuth, getCollection } from "home-assistant-js-websocket";

globalThis.WebSocket = WebSocket;

const hassUrl = process.argv[2];
const clientId = `${hassUrl}/`;
const step = (name, detail = {}) => console.log(JSON.stringify({ step: name, ok: true, ...detail }));
const within = (ms, promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);
const expect = (condition, message) => {
  if (!condition) throw new Error(message);
};
const sameKeys = (object, keys, what) => {
  const got = Object.keys(object).sort().join(",");
  const want = [...keys].sort().join(",");
  expect(got === want, `${what} has keys ${got}, expected ${want}`);
};

async function post(path, body, form = false) {
  const res = await fetch(`${hassUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json" },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

// A registry as the frontend and Node-RED keep it: fetched once, refetched on its event.
const registry = (conn, kind) =>
  getCollection(conn, `_pihub_${kind}`, (c) => c.sendMessagePromise({ type: `config/${kind}_registry/list` }), (c, store) =>
    c.subscribeEvents(() => c.sendMessagePromise({ type: `config/${kind}_registry/list` }).then((list) => store.setState(list, true)),
      `${kind}_registry_updated`));
const first = (collection, what) =>
  within(5000, new Promise((resolve) => {
    const unsubscribe = collection.subscribe((value) => {
      resolve(value);
      setTimeout(unsubscribe, 0);
    });
  }), what);

let current = "onboarding";
try {
  const { auth_code } = await post("/api/onboarding/users", {
    client_id: clientId, name: "Registry Owner", username: "regowner", password: "registry-owner-password", language: "en",
  });
  const tokens = await post("/auth/token", { grant_type: "authorization_code", code: auth_code, client_id: clientId }, true);
  const posted = await fetch(`${hassUrl}/api/states/sensor.posted`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens.access_token}` },
    body: JSON.stringify({ state: "1" }),
  });
  expect(posted.status === 201, `POST /api/states/sensor.posted answered ${posted.status}`);
  const bootstrap = await createConnection({ auth: createLongLivedTokenAuth(hassUrl, tokens.access_token) });
  const llat = await bootstrap.sendMessagePromise({ type: "auth/long_lived_access_token", client_name: "registries", lifespan: 1 });
  bootstrap.close();
  const conn = await createConnection({ auth: createLongLivedTokenAuth(hassUrl, llat) });
  step("connect");

  current = "entity registry";
  const entities = await first(registry(conn, "entity"), "entity registry");
  const porch = entities.find((e) => e.entity_id === "input_boolean.porch");
  expect(porch, `input_boolean.porch missing from ${JSON.stringify(entities)}`);
  sameKeys(porch, ["area_id", "categories", "config_entry_id", "config_subentry_id", "created_at", "device_id", "disabled_by",
    "entity_category", "entity_id", "has_entity_name", "hidden_by", "icon", "id", "labels", "modified_at", "name", "options",
    "original_name", "platform", "translation_key", "unique_id"], "entity entry");
  expect(porch.unique_id === "porch" && porch.platform === "input_boolean", `porch entry ${JSON.stringify(porch)}`);
  expect(porch.area_id === "porch" && porch.labels.join() === "lights", `porch area/labels ${JSON.stringify(porch)}`);
  expect(typeof porch.created_at === "number" && porch.created_at > 1.7e9, `created_at ${porch.created_at}`);
  expect(!entities.some((e) => e.entity_id === "sensor.posted"), "a state posted over REST has a registry entry");
  step("entity registry", { entries: entities.length });

  current = "entity registry get";
  const extended = await conn.sendMessagePromise({ type: "config/entity_registry/get", entity_id: "input_boolean.porch" });
  expect("original_icon" in extended && "capabilities" in extended && "aliases" in extended, `get ${JSON.stringify(extended)}`);
  try {
    await conn.sendMessagePromise({ type: "config/entity_registry/get", entity_id: "sensor.posted" });
    throw new Error("get of an entity without entry succeeded");
  } catch (err) {
    expect(err.code === "not_found", `get unknown: ${JSON.stringify(err)}`);
  }
  step("entity registry get");

  current = "list for display";
  const display = await conn.sendMessagePromise({ type: "config/entity_registry/list_for_display" });
  expect(JSON.stringify(display.entity_categories) === '{"0":"config","1":"diagnostic"}', JSON.stringify(display));
  const shortPorch = display.entities.find((e) => e.ei === "input_boolean.porch");
  expect(shortPorch && shortPorch.pl === "input_boolean" && shortPorch.ai === "porch", JSON.stringify(display));
  step("list for display");

  current = "device registry";
  const devices = await first(registry(conn, "device"), "device registry");
  expect(devices.length === 1 && devices[0].name === "PiHub" && devices[0].sw_version, `devices ${JSON.stringify(devices)}`);
  step("device registry", { model: devices[0].model, sw_version: devices[0].sw_version });

  current = "area, floor and label registries";
  const areas = await first(registry(conn, "area"), "area registry");
  const floors = await first(registry(conn, "floor"), "floor registry");
  const labels = await first(registry(conn, "label"), "label registry");
  expect(areas.map((a) => a.area_id).join() === "porch,kitchen", `areas ${JSON.stringify(areas)}`);
  expect(areas[0].floor_id === "ground" && floors[0].floor_id === "ground" && floors[0].level === 0, `floors ${JSON.stringify(floors)}`);
  expect(labels.length === 1 && labels[0].label_id === "lights" && labels[0].color === "amber", `labels ${JSON.stringify(labels)}`);
  step("area, floor and label registries");

  current = "return_response";
  try {
    await callService(conn, "input_boolean", "toggle", undefined, { entity_id: "input_boolean.porch" }, true);
    throw new Error("return_response on a service without response succeeded");
  } catch (err) {
    expect(err.code === "service_validation_error" && err.translation_key === "service_does_not_support_response", JSON.stringify(err));
  }
  step("return_response", { code: "service_validation_error" });

  current = "render_template";
  try {
    await conn.sendMessagePromise({ type: "render_template", template: "{{ 1 + 1 }}" });
    throw new Error("render_template succeeded");
  } catch (err) {
    expect(err.code === "template_error" && /does not render templates/.test(err.message), JSON.stringify(err));
  }
  step("render_template", { code: "template_error" });
  conn.close();
  process.exit(0);
} catch (err) {
  console.log(JSON.stringify({ step: current, ok: false, error: String(err?.message ?? err) }));
  process.exit(1);
}
