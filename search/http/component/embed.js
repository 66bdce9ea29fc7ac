// <rtes-recherche>: the RTES search as one tag on any site, served at /embed.js.
//   <script type="module" src="https://HOST/embed.js"></script> <rtes-recherche></rtes-recherche>
// Results as you type (with completions), highlighted snippets, the total, facet filters with counts,
// "plus de résultats", and a rtes-search:select event for each hit opened. Public search only: it
// never sends a token nor stores anything. Plain DOM, no framework and no build step; the server's
// text is always set as text (snippets are cut at their highlight offsets), never as HTML.
import { Combobox } from "./static/combobox.js";
import { sheet } from "./static/embed-styles.js";
import { texts } from "./static/embed-texts.js";

const SERVER = new URL(".", import.meta.url).href;   // where this script comes from: the default endpoint
const FACETS = ["type", "year", "theme", "territory"];
const SHOWN_VALUES = 8;
const TYPING_PAUSE = 250;   // ms without a key before results follow what is typed
let instances = 0;

// The highlighted fragments of a hit as DOM nodes: text, <mark> for each highlight, "…" at each cut.
function snippetNodes(snippets) {
  const nodes = [];
  snippets.forEach((snippet, number) => {
    if (number) { nodes.push(" … "); }
    let last = 0;
    for (const [start, end] of snippet.highlights) {
      const mark = document.createElement("mark");
      mark.textContent = snippet.text.slice(start, end);
      nodes.push(snippet.text.slice(last, start), mark);
      last = end;
    }
    nodes.push(snippet.text.slice(last));
  });
  return nodes;
}

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

class RtesRecherche extends HTMLElement {
  static observedAttributes = ["endpoint", "limit", "placeholder", "lang", "heading-level", ...FACETS];

  constructor() {
    super();
    this.number = ++instances;
    this.attachShadow({ mode: "open" }).adoptedStyleSheets = [sheet];
    this.ticked = Object.fromEntries(FACETS.map((name) => [name, new Set()]));
    this.shown = [];
  }

  connectedCallback() {
    if (!this.form) { this.build(); }
  }

  attributeChangedCallback() {
    if (!this.form) { return; }
    this.build();
    if (this.query) { this.search(); }
  }

  get endpoint() { return new URL(this.getAttribute("endpoint") || SERVER, document.baseURI).href.replace(/\/?$/, "/"); }
  get limit() { return Math.min(100, Math.max(1, parseInt(this.getAttribute("limit"), 10) || 10)); }
  // The hits' titles are headings one level under the page's heading above the component (2 by default).
  get headingLevel() { return Math.min(6, Math.max(2, parseInt(this.getAttribute("heading-level"), 10) || 2)); }

  build() {
    const t = this.texts = texts(this.getAttribute("lang") || document.documentElement.lang);
    const id = `rtes-recherche-${this.number}`;
    this.input = element("input", { type: "search", id: `${id}-q`, autocomplete: "off", maxLength: 500,
      placeholder: this.getAttribute("placeholder") || t.placeholder, value: this.query || "" });
    this.listbox = element("ul", { id: `${id}-completions` });
    this.listbox.setAttribute("aria-label", t.suggestions);
    this.form = element("form", {}, [
      element("label", { className: "box-label", htmlFor: this.input.id, textContent: t.label }),
      element("div", { className: "row" }, [
        element("div", { className: "box" }, [this.input, this.listbox]),
        element("button", { type: "submit", textContent: t.submit }),
      ]),
    ]);
    this.form.setAttribute("role", "search");
    this.status = element("p", { className: "status" });
    this.status.setAttribute("role", "status");
    this.error = element("p", { className: "error" });
    this.error.setAttribute("role", "alert");
    this.filters = element("div", { className: "filters" });
    this.filters.setAttribute("role", "group");
    this.filters.setAttribute("aria-label", t.filters);
    this.hits = element("ol", { className: "hits" });
    this.more = element("button", { type: "button", className: "more", textContent: t.more, hidden: true });
    this.layout = element("div", { className: "layout" }, [this.filters, element("div", {}, [this.hits, this.more])]);
    this.shadowRoot.replaceChildren(this.form, this.status, this.error, this.layout);
    this.listen();
  }

  listen() {
    this.combobox = new Combobox(this.input, this.listbox, {
      complete: (text) => this.get("api/v1/suggest", [["q", text], ["limit", "8"]]).then((data) => data.suggestions),
      pick: () => this.search(),
    });
    this.input.addEventListener("input", () => {
      clearTimeout(this.typing);
      this.typing = setTimeout(() => this.search(), TYPING_PAUSE);
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.combobox.close();
      this.search();
    });
    this.filters.addEventListener("change", (event) => {
      const box = event.target;
      this.ticked[box.name][box.checked ? "add" : "delete"](box.value);
      this.search();
    });
    this.more.addEventListener("click", () => this.search(this.page + 1));
    this.hits.addEventListener("click", (event) => this.opened(event));
  }

  // A GET on the API as JSON (abandoned when signal aborts); the error thrown carries the French message to show.
  async get(path, pairs, signal) {
    let response;
    try {
      response = await fetch(this.endpoint + path + "?" + new URLSearchParams(pairs), { credentials: "omit", signal });
    } catch (failure) {
      if (failure.name === "AbortError") { throw failure; }
      throw new Error(this.texts.unreachable);
    }
    if (response.status === 429) {
      throw new Error(this.texts.tooMany(response.headers.get("Retry-After") || "quelques"));
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(this.texts.failed((data.error && data.error.message) || response.status)); }
    return data;
  }

  // Page 1 (a new search) or the next page (appended); an older search still running is abandoned.
  async search(page = 1) {
    clearTimeout(this.typing);
    this.query = this.input.value.trim();
    if (!this.query) { this.clear(); return; }
    if (this.aborter) { this.aborter.abort(); }
    this.aborter = new AbortController();
    const pairs = [["q", this.query], ["limit", String(this.limit)], ["page", String(page)]];
    for (const name of FACETS) {
      const values = this.getAttribute(name) ? [this.getAttribute(name)] : [...this.ticked[name]];
      values.forEach((value) => pairs.push([name, value]));
    }
    try {
      this.show(await this.get("api/v1/search", pairs, this.aborter.signal), page);
    } catch (failure) {
      if (failure.name !== "AbortError") { this.fail(failure.message); }
    }
  }

  clear() {
    if (this.aborter) { this.aborter.abort(); }
    this.shown = [];
    this.hits.replaceChildren();
    this.filters.replaceChildren();
    this.status.textContent = this.error.textContent = "";
    this.more.hidden = true;
  }

  fail(message) {
    this.clear();
    this.error.textContent = message;
  }

  show(results, page) {
    this.page = page;
    this.error.textContent = "";
    const hits = results.hits.map((hit) => this.hitItem(hit));
    this.shown = page === 1 ? results.hits : this.shown.concat(results.hits);
    if (page === 1) { this.hits.replaceChildren(...hits); } else { this.hits.append(...hits); }
    this.more.hidden = page >= results.pages;
    const total = this.texts.total(results.total, this.query);
    this.status.textContent = page === 1 ? total : `${total} — ${this.texts.shown(this.shown.length, results.total)}`;
    if (page === 1) { this.showFacets(results.facets); }
    if (page > 1 && hits.length) { hits[0].querySelector("a").focus(); }
  }

  hitItem(hit) {
    const link = element("a", { href: `${this.endpoint}documents/${encodeURIComponent(hit.id)}`, textContent: hit.title });
    link.dataset.id = hit.id;
    const meta = [hit.type, hit.year, hit.territories.join(", ")].filter(Boolean).join(" · ");
    return element("li", { className: "hit" }, [
      element(`h${this.headingLevel}`, {}, [link]),
      element("p", { className: "meta", textContent: meta + (hit.private ? ` · ${this.texts.private}` : "") }),
      element("p", { className: "snippet" }, snippetNodes(hit.snippets)),
    ]);
  }

  // One group of checkboxes per facet not fixed by the site; ticked values stay listed.
  showFacets(facets) {
    const groups = FACETS.filter((name) => !this.getAttribute(name)).map((name) => {
      const counts = facets[name] || {};
      const values = [...new Set([...this.ticked[name], ...Object.keys(counts).slice(0, SHOWN_VALUES)])];
      if (!values.length) { return null; }
      return element("fieldset", {}, [
        element("legend", { textContent: this.texts.facets[name] }),
        ...values.map((value) => element("label", {}, [
          element("input", { type: "checkbox", name, value, checked: this.ticked[name].has(value) }),
          element("span", { className: "value", textContent: value }),
          element("span", { className: "n", textContent: String(counts[value] || 0) }),
        ])),
      ]);
    }).filter(Boolean);
    this.filters.replaceChildren(...groups);
    this.layout.classList.toggle("filtered", groups.length > 0);
  }

  // A hit opened: the site may handle it (preventDefault on rtes-search:select), else the link is followed.
  opened(event) {
    const link = event.target.closest("a[data-id]");
    if (!link) { return; }
    const hit = this.shown.find((shown) => shown.id === link.dataset.id);
    const select = new CustomEvent("rtes-search:select", { detail: { hit }, bubbles: true, composed: true, cancelable: true });
    if (!this.dispatchEvent(select)) { event.preventDefault(); }
  }
}

if (!customElements.get("rtes-recherche")) { customElements.define("rtes-recherche", RtesRecherche); }
