// The print button of the receipt: shown only where scripts run (the page
// works without it: the browser's own print does the same).
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
