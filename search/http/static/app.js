// Conveniences only: the page works fully without this script.
// A ticked filter or a new sort is applied at once (no need to press the button), and the box
// offers completions from /api/v1/suggest through the same combobox as the embeddable component.
import { Combobox } from "./combobox.js";

document.documentElement.classList.add("js");
const form = document.getElementById("recherche");
if (form) {
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.type === "checkbox" || target.id === "sort") { form.requestSubmit(); }
  });
  new Combobox(document.getElementById("q"), document.getElementById("q-suggestions"), {
    complete: (text) => fetch("/api/v1/suggest?limit=8&q=" + encodeURIComponent(text))
      .then((response) => (response.ok ? response.json() : { suggestions: [] }))
      .then((data) => data.suggestions),
    pick: () => form.requestSubmit(),
  });
}
