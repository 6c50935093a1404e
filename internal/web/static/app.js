// Progressive enhancement only: every form works without this file.
// Radio buttons and checkboxes marked .autosubmit submit their form on
// change, so the period picker needs no extra click.
document.addEventListener("change", function (e) {
  var t = e.target;
  if (t && t.classList && t.classList.contains("autosubmit") && t.form) {
    t.form.requestSubmit ? t.form.requestSubmit() : t.form.submit();
  }
});
