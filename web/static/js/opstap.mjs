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

// "Pin to shortlist" says when a candidate is on the shortlist (which htmx swaps in beside the matches).
function markPinned() {
  const shortlist = document.getElementById("shortlist");
  if (!shortlist) return;
  const refs = new Set([...shortlist.querySelectorAll(".shortlist-lines .ref")].map((el) => el.textContent.trim()));
  for (const form of document.querySelectorAll("form[data-pin-ref]")) {
    const button = form.querySelector("button");
    const pinned = refs.has(form.dataset.pinRef);
    button.disabled = pinned;
    button.setAttribute("aria-disabled", String(pinned));
    button.querySelector(".pin-label").textContent = pinned ? button.dataset.pinnedLabel : button.dataset.label;
  }
}

// A skill chosen twice in a picker: keep the first row, drop the new one, and show where the first one is.
function dropDuplicateSkills(scope) {
  const list = scope.id === "chosen-skills" ? scope : scope.querySelector && scope.querySelector("#chosen-skills");
  if (!list) return;
  const seen = new Map();
  for (const input of list.querySelectorAll("input[type=hidden][name=skill]")) {
    const row = input.closest("li");
    if (seen.has(input.value)) {
      row.remove();
      const first = seen.get(input.value);
      first.classList.add("opstap-flash");
      first.scrollIntoView({ block: "nearest" });
      setTimeout(() => first.classList.remove("opstap-flash"), 1500);
    } else {
      seen.set(input.value, row);
    }
  }
}

function start(scope) {
  labelTables(scope);
  linkErrors(scope);
  markPinned();
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
  dropDuplicateSkills(holder);
});

// "Remove" buttons in editable lists (chosen skills, work experience): remove the row, tell the form it changed.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-item], [data-remove-row]");
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

// A page that opens with an error summary moves focus to it (GOV.UK Frontend does this for the first one);
// an htmx-swapped summary gets focus too.
document.addEventListener("htmx:afterSettle", (event) => {
  const summary = event.detail.elt && event.detail.elt.querySelector && event.detail.elt.querySelector(".govuk-error-summary");
  if (summary) summary.focus();
});

// "Print" on the training plan (issue 13): no inline handler under the CSP.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
