// The component's styles, as a constructable stylesheet (adoptedStyleSheets): no <style> element and
// no style attribute, so a host page whose Content-Security-Policy forbids inline styles still shows
// it. Site owners theme it with the custom properties below, set on rtes-recherche or any parent.
export const sheet = new CSSStyleSheet();
sheet.replaceSync(`
:host { display: block; color: var(--rtes-ink, #1d2330); background: var(--rtes-background, transparent);
  font: var(--rtes-font-size, 1rem)/1.5 var(--rtes-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif); }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
a { color: var(--rtes-link, #0b4f9c); }
:focus-visible { outline: 3px solid var(--rtes-focus, #f2a900); outline-offset: 2px; }
label.box-label { display: block; font-weight: 600; margin-bottom: .3em; }
.row { display: flex; gap: .5em; }
.box { position: relative; flex: 1; min-width: 0; }
input[type=search] { width: 100%; font: inherit; font-size: 1.05em; min-height: 2.5em; padding: .4em .7em;
  color: inherit; background: var(--rtes-surface, #fff); border: 2px solid var(--rtes-muted, #56607a);
  border-radius: var(--rtes-radius, 6px); }
button { font: inherit; min-height: 2.5em; min-width: 24px; padding: .4em 1.1em; border: 0; cursor: pointer;
  border-radius: var(--rtes-radius, 6px); background: var(--rtes-accent, #b3124d); color: var(--rtes-on-accent, #fff); }
[role=listbox] { position: absolute; z-index: 10; left: 0; right: 0; top: 100%; margin: 2px 0 0; padding: .2em 0;
  list-style: none; background: var(--rtes-surface, #fff); border: 1px solid var(--rtes-muted, #56607a);
  border-radius: var(--rtes-radius, 6px); box-shadow: 0 4px 12px rgb(0 0 0 / .15); max-height: 20em; overflow-y: auto; }
[role=option] { padding: .3em .8em; min-height: 28px; cursor: pointer; }
[role=option][aria-selected=true], [role=option]:hover { background: var(--rtes-accent, #b3124d); color: var(--rtes-on-accent, #fff); }
.status { margin: .8em 0 .4em; font-weight: 600; }
.error:empty { display: none; }
.error { margin: .8em 0; padding: .6em .8em; border-left: 4px solid var(--rtes-accent, #b3124d);
  background: var(--rtes-surface, #fff); }
.layout { display: grid; gap: 1.2em; }
@container (min-width: 40em) { .layout.filtered { grid-template-columns: 16em 1fr; } }
:host { container-type: inline-size; }
.filters { order: 1; }
@container (min-width: 40em) { .filters { order: 0; } }
fieldset { border: 1px solid var(--rtes-line, #d9dde6); border-radius: var(--rtes-radius, 6px); margin: 0 0 .8em;
  padding: .3em .7em .5em; background: var(--rtes-surface, #fff); }
legend { font-weight: 600; padding: 0 .3em; }
fieldset label { display: flex; gap: .45em; align-items: center; min-height: 28px; cursor: pointer; }
input[type=checkbox] { width: 20px; height: 20px; margin: 0; flex: none; accent-color: var(--rtes-accent, #b3124d); }
.value { flex: 1; overflow-wrap: anywhere; }
.n { color: var(--rtes-muted, #56607a); font-size: .875em; font-variant-numeric: tabular-nums; }
ol.hits { list-style: none; margin: 0; padding: 0; }
.hit { margin: 0 0 1.1em; }
.hit :is(h2, h3, h4, h5, h6) { font-size: 1.05em; margin: 0 0 .15em; }
.hit a { display: inline-block; min-height: 24px; }
.meta { color: var(--rtes-muted, #56607a); font-size: .9em; margin: 0 0 .2em; }
.snippet { margin: 0; overflow-wrap: anywhere; }
mark { background: var(--rtes-mark, #ffe37a); color: inherit; padding: 0 .1em; border-radius: 2px; }
.more { background: var(--rtes-surface, #fff); color: var(--rtes-ink, #1d2330); border: 1px solid var(--rtes-muted, #56607a); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`);
