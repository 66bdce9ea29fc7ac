// A combobox with a list of completions, as the WAI-ARIA Authoring Practices describe it
// ("list autocomplete"): the search page and the <rtes-recherche> component both use this one.
// Keys: Down/Up move through the completions (opening the list), Enter picks the one shown as
// active, Escape closes the list, Tab leaves. The input keeps the
// focus throughout; aria-activedescendant tells assistive technologies which option is active.

export class Combobox {
  // input: the text box; listbox: an empty <ul> beside it with an id; complete(text) resolves to the
  // completions of text; pick(text) is called with the chosen one (the box already holds it).
  constructor(input, listbox, { complete, pick, delay = 150, minLength = 2 }) {
    Object.assign(this, { input, listbox, complete, pick, delay, minLength });
    this.options = [];
    this.active = -1;
    this.asked = 0;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    input.addEventListener("input", () => this.typed());
    input.addEventListener("keydown", (event) => this.key(event));
    input.addEventListener("blur", () => this.close());
    // Pressing an option must not take the focus from the box (the list would close first).
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) { this.choose(this.options.indexOf(option)); }
    });
  }

  typed() {
    clearTimeout(this.timer);
    const text = this.input.value.trim();
    const asked = ++this.asked;
    if (text.length < this.minLength) { this.show([]); return; }
    this.timer = setTimeout(() => {
      this.complete(text).then((found) => {
        if (asked === this.asked) { this.show(found); }   // an older answer arriving late is dropped
      }, () => this.show([]));
    }, this.delay);
  }

  show(texts) {
    this.options = texts.map((text, number) => {
      const option = this.listbox.ownerDocument.createElement("li");
      option.id = `${this.listbox.id}-${number}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = text;
      return option;
    });
    this.listbox.replaceChildren(...this.options);
    this.activate(-1);
    this.setOpen(this.options.length > 0 && this.input.matches(":focus"));
  }

  setOpen(open) {
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
  }

  close() {
    this.activate(-1);
    this.setOpen(false);
  }

  activate(number) {
    this.options.forEach((option, n) => option.setAttribute("aria-selected", String(n === number)));
    this.active = number;
    if (number < 0) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    this.input.setAttribute("aria-activedescendant", this.options[number].id);
    this.options[number].scrollIntoView({ block: "nearest" });
  }

  key(event) {
    const open = !this.listbox.hidden, count = this.options.length;
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && count) {
      event.preventDefault();
      if (!open) { this.setOpen(true); }
      if (event.altKey) { return; }
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.activate(this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count);
    } else if (event.key === "Enter" && open && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); this.close(); }   // closed: the search box empties itself
    }
  }

  choose(number) {
    if (number < 0) { return; }
    this.input.value = this.options[number].textContent;
    this.asked++;                       // completions still on their way are for the old text
    this.close();
    this.pick(this.input.value);
  }
}
