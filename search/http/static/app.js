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
});
