// An organisation's profile (GET /organizations/{key}): who they are, trades, competences,
// people and contacts, projects, events, open needs, units, and earlier cooperation in the
// network. The service decides what each role sees (companies' contact data and non-public
// needs only for staff); this page shows what it is given.

import { api, seg } from "./api.js";
import { fill, h } from "./dom.js";
import { t } from "./i18n.js";
import { caseLink, keyFromPath, kindName, orgLink, ready, showError, startPage } from "./shell.js";

const $ = (id) => document.getElementById(id);
let profile = null;
let me = null;

function section(id, items, render) {
  if (!items?.length) return null;
  return h(
    "section",
    { class: "panel", id: `org-${id}`, "aria-labelledby": `org-${id}-heading` },
    h("h2", { id: `org-${id}-heading` }, t(`org.${id}`)),
    h("ul", { class: "plain" }, items.map((item) => h("li", {}, render(item)))),
  );
}

function fact(label, value) {
  return value ? [h("dt", {}, t(label)), h("dd", {}, value)] : [];
}

function render() {
  const p = profile;
  fill($("org-name"), p.name);
  document.title = `${p.name} – partnergraph`;
  fill(
    $("org-meta"),
    h("span", { class: "kind" }, kindName(p.kind)),
    p.city ? ` · ${[p.postcode, p.city].filter(Boolean).join(" ")}` : "",
    p.outside_region ? ` · ${t("org.outside_region")}` : "",
  );
  $("org-description").textContent = p.description ?? "";
  fill(
    $("org-facts"),
    fact("org.street", p.street),
    fact("org.district", p.district),
    fact("org.employees", p.employees != null ? String(p.employees) : null),
    p.website ? [h("dt", {}, t("org.website")), h("dd", {}, h("a", { href: p.website, rel: "noopener noreferrer" }, p.website))] : [],
    p.parent ? [h("dt", {}, t("org.parent")), h("dd", {}, orgLink(p.parent.key, p.parent.name))] : [],
  );
  const isStaff = me && ["staff", "admin"].includes(me.role);
  fill(
    $("org-sections"),
    section("competences", p.competences, (c) => [h("strong", {}, c.title ?? c.key), c.text ? ` – ${c.text}` : ""]),
    section("children", p.children, (c) => [orgLink(c.key, c.name), ` (${kindName(c.kind)})`]),
    section("trades", p.trades, (tr) => `${tr.code} ${tr.name ?? ""}`),
    section("people", p.people, (person) =>
      [person.title, person.name].filter(Boolean).join(" ") +
      (person.role ? `, ${person.role}` : "") +
      (person.email ? ` – ${person.email}` : ""),
    ),
    section("projects", p.projects, (pr) => [pr.title ?? pr.key, pr.role ? ` (${t(`org.role.${pr.role}`)})` : ""]),
    section("events", p.events, (e) => `${e.name ?? e.key}${e.date ? ` (${e.date.slice(0, 10)})` : ""}`),
    section("needs", p.needs, (n) => [
      isStaff ? caseLink(n.key, n.title ?? n.key) : n.title ?? n.key,
      ` – ${t(`visibility.${n.visibility}`)}`,
    ]),
    section("industries", p.industries, (i) => `${i.code} ${i.name ?? ""}`),
  );
}

async function main() {
  me = await startPage("organisation");
  if (!me) return ready();
  try {
    profile = await api(`/organizations/${seg(keyFromPath())}`);
    render();
  } catch (error) {
    showError(error);
  }
  document.addEventListener("langchange", () => profile && render());
  ready();
}

main();
