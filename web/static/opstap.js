// Behaviour that would otherwise be inline: the Content-Security-Policy allows scripts from this site only.

// A "Remove" button beside a picked skill or experience takes its list item away and lets the form re-validate.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-item]");
  if (!button) return;
  const form = button.closest("form");
  button.closest("li").remove();
  if (form && window.htmx) window.htmx.trigger(form, "change");
});

// A picker result that was added to the form leaves the list of results once its request is done.
document.addEventListener("htmx:afterRequest", (event) => {
  const element = event.detail && event.detail.elt;
  if (element && element.matches && element.matches("[data-remove-after-request]")) element.closest("li").remove();
});
