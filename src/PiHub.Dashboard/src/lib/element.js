// Every view renders into the light DOM, so the one global stylesheet applies and the page is
// one document for assistive technology, axe and the browser tests.
import { LitElement, html, nothing } from "lit";

export class View extends LitElement {
  createRenderRoot() {
    // Drop the "Loading…" placeholder the HTML page put inside the element.
    if (!this.hasUpdated) this.replaceChildren();
    return this;
  }
}

/** A notice box: kind is error | warn | info | ok. `error` may be an Error or a string. */
export function notice(kind, error, title = null) {
  if (!error) return nothing;
  const text = typeof error === "string" ? error : error.message;
  const role = kind === "error" || kind === "warn" ? "alert" : "status";
  return html`<div class="notice ${kind}" role=${role}>
    ${title ? html`<strong>${title}</strong>` : nothing}
    <p>${text}</p>
    ${error?.ban?.detail ? html`<p class="small">${error.ban.detail}</p>` : nothing}
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
