// Opstap's own small scripts (no inline scripts anywhere: the Content-Security-Policy forbids them).
import { initAll } from "../vendor/govuk-frontend.min.js";

// Tables become stacked cards on small screens: each cell carries its column heading as data-label.
function labelTables(scope) {
  for (const table of scope.querySelectorAll("table")) {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (!heads.length) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (cell.tagName === "TD" && heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
      });
    }
  }
}

// Error summary links point at "#f-<field>"; where a form names its input differently, find it by name.
function linkErrors(scope) {
  for (const link of scope.querySelectorAll(".govuk-error-summary a[data-field]")) {
    const id = link.getAttribute("href").slice(1);
    if (document.getElementById(id)) continue;
    const field = document.querySelector(`[name="${CSS.escape(link.dataset.field)}"]:not([type=hidden])`)
      || document.getElementById(`error-${link.dataset.field}`);
    if (!field) continue;
    if (!field.id) field.id = `f-${link.dataset.field}`;
    link.setAttribute("href", `#${field.id}`);
  }
}

function start(scope) {
  labelTables(scope);
  linkErrors(scope);
}

start(document);
initAll();

// htmx swaps in new regions: start the design system's components and our helpers inside them again.
document.addEventListener("htmx:load", (event) => {
  const elt = event.detail && event.detail.elt;
  if (!elt || elt === document.body) return;
  const holder = elt.parentElement || elt;
  initAll({ scope: holder });
  start(holder);
});

// "Remove" buttons in editable lists (chosen skills, work experience): remove the row, tell the form it changed.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-row]");
  if (!button) return;
  const form = button.closest("form");
  button.closest("li").remove();
  if (form && window.htmx) window.htmx.trigger(form, "change");
});

// A page that opens with an error summary moves focus to it (GOV.UK Frontend does this for the first one);
// an htmx-swapped summary gets focus too.
document.addEventListener("htmx:afterSettle", (event) => {
  const summary = event.detail.elt && event.detail.elt.querySelector && event.detail.elt.querySelector(".govuk-error-summary");
  if (summary) summary.focus();
});
