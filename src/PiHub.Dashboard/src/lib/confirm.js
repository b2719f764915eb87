// @ts-check
// A button that asks once more before a destructive action, inline (no browser dialog): the first
// press shows "Yes" and "Cancel"; "Yes" fires a `confirm` event.
import { html, nothing } from "lit";
import { View } from "./element.js";

class PiHubConfirm extends View {
  static properties = {
    label: {},
    question: {},
    yes: {},
    forWhat: { attribute: "for-what" },
    _asking: { state: true },
  };

  constructor() {
    super();
    /** The button's text. @type {string} */
    this.label = "";
    /** The question shown after the first press ("Sure?" without one). @type {string | undefined} */
    this.question;
    /** The confirming button's text ("Yes" without one). @type {string | undefined} */
    this.yes;
    /** What the action applies to, for screen readers ("Delete" + " token X"). @type {string | undefined} */
    this.forWhat;
    this._asking = false;
  }

  _ask() {
    this._asking = true;
    this.updateComplete.then(() => this._focus("button.danger"));
  }

  /** @param {boolean} yes */
  _answer(yes) {
    this._asking = false;
    if (yes) this.dispatchEvent(new CustomEvent("confirm", { bubbles: true, composed: true }));
    else this.updateComplete.then(() => this._focus("button"));
  }

  render() {
    if (!this._asking) {
      return html`<button class="small danger" aria-label=${this.forWhat ? `${this.label} ${this.forWhat}` : nothing} @click=${this._ask}>${this.label}</button>`;
    }
    return html`<span class="row" role="group" aria-label=${this.question ?? "Confirm"}>
      <span class="small">${this.question ?? "Sure?"}</span>
      <button class="small danger solid" @click=${() => this._answer(true)}>${this.yes ?? "Yes"}</button>
      <button class="small" @click=${() => this._answer(false)}>Cancel</button>
    </span>`;
  }
}

customElements.define("pihub-confirm", PiHubConfirm);
