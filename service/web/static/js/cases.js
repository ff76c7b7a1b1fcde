// Fälle (staff): every need as a case with its company, status, owner, last activity, the
// partners contacted / accepted / rejected and the universities that answered (GET /cases).
// "Meine Bedarfe" are those recorded with the signed-in key; each row links to the case page.

import { api } from "./api.js";
import { fill, h } from "./dom.js";
import { t } from "./i18n.js";
import { caseLink, orgLink, ready, showError, startPage, status } from "./shell.js";

const $ = (id) => document.getElementById(id);
let cases = [];

export function when(iso) {
  if (!iso) return "";
  return iso.length > 10 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

function partners(item) {
  if (!item.feedback.length) return "–";
  return h(
    "ul",
    { class: "plain" },
    item.feedback.map((f) =>
      h(
        "li",
        { "data-status": f.status },
        orgLink(f.organization.key, f.organization.name),
        `: ${t(`feedback.${f.status}`)}`,
        f.note ? ` – ${f.note}` : "",
      ),
    ),
  );
}

function row(item) {
  const need = item.need;
  return h(
    "tr",
    { "data-key": need.key, "data-status": item.case_status },
    h("td", {}, caseLink(need.key, need.title ?? need.key)),
    h(
      "td",
      {},
      need.organization ? orgLink(need.organization.key, need.organization.name) : "–",
    ),
    h("td", { class: "case-status" }, t(`case_status.${item.case_status}`)),
    h("td", {}, item.owner_name ?? "–"),
    h("td", {}, when(item.last_activity)),
    h("td", {}, partners(item)),
    h(
      "td",
      {},
      item.answers.length ? item.answers.map((a) => a.organization.name).join(", ") : "–",
    ),
  );
}

function render() {
  fill($("case-rows"), cases.map(row));
  $("cases-count").textContent = t("cases.count", { count: cases.length });
}

async function load() {
  status(t("cases.loading"));
  try {
    cases = await api("/cases", {
      query: {
        mine: $("scope").value === "mine" ? "true" : null,
        status: $("case-status").value || null,
        sort: $("case-sort").value,
      },
    });
    render();
    status(cases.length ? "" : t("cases.none"));
  } catch (error) {
    showError(error);
  }
}

async function main() {
  const me = await startPage("cases");
  if (!me) return ready();
  for (const id of ["scope", "case-status", "case-sort"]) $(id).addEventListener("change", load);
  document.addEventListener("langchange", render);
  await load();
  ready();
}

main();
