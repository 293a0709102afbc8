// Behaviour that would otherwise be inline: the Content-Security-Policy allows scripts from this site only.

// A "Remove" button beside a picked skill or experience takes its list item away and lets the form re-validate.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-item]");
  if (!button) return;
  const form = button.closest("form");
  button.closest("li").remove();
  if (form && window.htmx) window.htmx.trigger(form, "change");
});
