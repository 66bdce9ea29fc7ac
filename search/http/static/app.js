// Conveniences only: the page works fully without this script.
// A ticked filter or a new sort is applied at once (no need to press the button).
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("recherche");
  if (!form) { return; }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "checkbox" || target.id === "sort") { form.submit(); }
  });
  suggestAsYouType(document.getElementById("q"), document.getElementById("suggestions"));
});

// Completions of titles and terms from /api/v1/suggest, offered by the box's <datalist>.
function suggestAsYouType(box, list) {
  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var prefix = box.value.trim();
    if (prefix.length < 2) { list.replaceChildren(); return; }
    timer = setTimeout(function () {
      fetch("/api/v1/suggest?limit=8&q=" + encodeURIComponent(prefix))
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.suggestions.map(function (text) {
            var option = document.createElement("option");
            option.value = text;
            return option;
          }));
        })
        .catch(function () {});
    }, 150);
  });
}
