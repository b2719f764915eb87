// @ts-check
// Every view renders into the light DOM, so the one global stylesheet applies and the page is
// one document for assistive technology, axe and the browser tests.
import { LitElement, html, nothing } from "lit";

export class View extends LitElement {
  constructor() {
    super();
    /** A change is running: its buttons are disabled. @type {boolean} */
    this._busy = false;
    /** The last failure to show (an Error, or the hub's refusal). @type {Failure | null} */
    this._error = null;
    /** What the last change did, in words, once it succeeded. @type {string | null} */
    this._result = null;
  }

  createRenderRoot() {
    // Drop the "Loading…" placeholder the HTML page put inside the element.
    if (!this.hasUpdated) this.replaceChildren();
    return this;
  }

  /**
   * Moves the keyboard focus to the first element matching `selector` inside this view, if there is one.
   * @param {string} selector
   */
  _focus(selector) {
    /** @type {HTMLElement | null} */ (this.querySelector(selector))?.focus();
  }

  /**
   * Runs one change a person asked for, the same way on every page: `_busy` while it runs, then either
   * `_result` = `done` (what happened, in words) or `_error` = the hub's refusal as it came; `after` (a
   * reload of what the change touched) runs either way. A page declares the ones it shows as reactive
   * state (`static properties`), so it re-renders on each.
   * @param {() => Promise<unknown>} action
   * @param {{ done?: string | null, after?: () => Promise<unknown> }} [options]
   */
  async _act(action, { done = null, after } = {}) {
    this._busy = true;
    this._result = null;
    try {
      await action();
      this._error = null;
      this._result = done;
    } catch (error) {
      this._error = error;
    } finally {
      this._busy = false;
      if (after) await after();
    }
  }
}

/**
 * What a page shows when something failed: an Error (a HubHttpError carries `ban` when this address is banned).
 * @typedef {Error & { ban?: import("./http.js").Ban | null }} Failure
 */

/**
 * A notice box: kind is error | warn | info | ok. `error` may be an Error or a string.
 * @param {"error" | "warn" | "info" | "ok"} kind
 * @param {string | Failure | null | undefined} error
 * @param {string | null} [title]
 */
export function notice(kind, error, title = null) {
  if (!error) return nothing;
  const text = typeof error === "string" ? error : error.message;
  const detail = typeof error === "string" ? null : error.ban?.detail;
  const role = kind === "error" || kind === "warn" ? "alert" : "status";
  return html`<div class="notice ${kind}" role=${role}>
    ${title ? html`<strong>${title}</strong>` : nothing}
    <p>${text}</p>
    ${detail ? html`<p class="small">${detail}</p>` : nothing}
  </div>`;
}

/** Copies text and says so in the button's label for a moment. */
export async function copyText(button, text) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy by hand";
  }
  setTimeout(() => (button.textContent = label), 2000);
}
