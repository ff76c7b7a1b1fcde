// Bedarfe (universities): open needs of companies that fit the organisation's competences
// (GET /organizations/{org}/needs), anonymised by the service as each need's visibility
// requires; filters by topic (GET /analytics/topics) and place; subscriptions to topics list
// what is new since the last visit (GET /subscriptions/{id}/new).

import { api, seg } from "./api.js";
import { debounce, fill, h } from "./dom.js";
import { num, t } from "./i18n.js";
import { ready, showError, startPage, status, submitOnCtrlEnter } from "./shell.js";

const $ = (id) => document.getElementById(id);
const state = {
  org: null,
  fitting: [], // [{need, score, via}]
  topics: [], // [{id, label, size, needs: [{key, title}]}]
  subscriptions: [], // [{id, query, created_at, last_seen, fresh: [{need, similarity}]}]
  place: { typed: "", names: [] }, // the region filter and the region names it stands for
  me: null,
  units: [], // the university and its units ({key, name}), for answers
  answers: [], // what the university answered (GET /answers)
};

// --- a need as a card ----------------------------------------------------------------------------

function who(need) {
  if (need.organization) {
    return h(
      "span",
      { class: "org" },
      [need.organization.name, need.organization.city].filter(Boolean).join(", "),
    );
  }
  return h(
    "span",
    { class: "org anonymous" },
    need.organization_description ?? t("needs.anonymous"),
    " ",
    h("span", { class: "badge" }, t("needs.anonymised")),
  );
}

function needCard(need, extra) {
  return h(
    "li",
    { class: "card need", "data-key": need.key },
    h("h3", {}, need.title ?? need.key),
    h(
      "p",
      { class: "meta" },
      who(need),
      need.created_at
        ? h("span", {}, t("needs.since", { date: need.created_at.slice(0, 10) }))
        : null,
      need.visibility ? h("span", { class: "badge" }, t(`visibility.${need.visibility}`)) : null,
    ),
    need.text ? h("p", { class: "need-text" }, need.text) : null,
    extra,
  );
}

/** Which unit (chair, institute, group) fits the need, with what competence and why. */
function fitLine(item) {
  if (!item.via?.length) return null;
  return h(
    "div",
    { class: "fit" },
    h("p", {}, t("needs.fits", { score: num(item.score) })),
    h(
      "ul",
      { class: "via" },
      item.via.map((v) =>
        h(
          "li",
          {},
          v.unit ? h("strong", { class: "unit" }, v.unit.name ?? v.unit.key) : null,
          v.unit ? ": " : "",
          h("span", { class: "via-title" }, v.title ?? v.key),
          v.text ? h("span", { class: "help" }, ` – ${v.text}`) : null,
        ),
      ),
    ),
  );
}

// --- answers: "Interesse / wir können helfen" ----------------------------------------------------

function answerArea(item) {
  const given = state.answers.find((a) => a.need.key === item.need.key);
  if (given) {
    return h(
      "p",
      { class: "answered", "data-status": given.status },
      t(`answers.status.${given.status}`, { name: given.organization.name ?? "" }),
    );
  }
  if (!state.me?.organization) return null;
  const id = item.need.key.replace(/[^A-Za-z0-9_-]/g, "_");
  const units = [item.via?.[0]?.unit, ...state.units].filter(Boolean);
  const seen = new Set();
  const form = h(
    "form",
    { class: "answer-form", hidden: true, novalidate: true },
    h("label", { for: `msg-${id}` }, t("answers.message_label")),
    h("textarea", { id: `msg-${id}`, name: "message", rows: 3, maxlength: 2000, required: true }),
    h("label", { for: `contact-${id}` }, t("answers.contact_label")),
    h("input", { id: `contact-${id}`, name: "contact", maxlength: 300, required: true }),
    h("label", { for: `unit-${id}` }, t("answers.unit_label")),
    h(
      "select",
      { id: `unit-${id}`, name: "org" },
      units
        .filter((u) => !seen.has(u.key) && seen.add(u.key))
        .map((u) => h("option", { value: u.key }, u.name ?? u.key)),
    ),
    h("button", { type: "submit", class: "answer-submit" }, t("answers.submit")),
  );
  form.addEventListener("submit", (event) => sendAnswer(event, item, form));
  submitOnCtrlEnter(form);
  const open = h(
    "button",
    {
      type: "button",
      class: "answer-open",
      onclick: () => {
        form.hidden = false;
        open.hidden = true;
        form.elements.message.focus();
      },
    },
    t("answers.open"),
  );
  return h("div", { class: "answer" }, open, form);
}

async function sendAnswer(event, item, form) {
  event.preventDefault();
  const message = form.elements.message.value.trim();
  const contact = form.elements.contact.value.trim();
  if (message.length < 3 || contact.length < 3) {
    status(t("answers.missing"), "error");
    (message.length < 3 ? form.elements.message : form.elements.contact).focus();
    return;
  }
  try {
    const made = await api(`/needs/${seg(item.need.key)}/answers`, {
      method: "POST",
      body: { message, contact, org: form.elements.org.value || null },
    });
    state.answers = [made, ...state.answers.filter((a) => a.id !== made.id)];
    renderNeeds();
    renderAnswers();
    status(t("answers.sent"));
  } catch (error) {
    showError(error);
  }
}

function renderAnswers() {
  $("my-answers").hidden = !state.me?.organization;
  fill(
    $("answers"),
    state.answers.length
      ? state.answers.map((a) =>
          h(
            "li",
            { class: "my-answer", "data-id": a.id, "data-status": a.status },
            h("strong", {}, a.need.title ?? a.need.key),
            " – ",
            who(a.need),
            ": ",
            t(`answers.status.${a.status}`, { name: a.organization.name ?? "" }),
            a.company?.email || a.company?.phone || a.company?.website
              ? h(
                  "span",
                  { class: "contact" },
                  ` (${[a.company.email, a.company.phone, a.company.website].filter(Boolean).join(", ")})`,
                )
              : null,
          ),
        )
      : h("li", {}, t("answers.none_given")),
  );
}

async function loadAnswers() {
  if (!state.me?.organization) return;
  try {
    state.answers = await api("/answers");
  } catch {
    state.answers = [];
  }
  renderAnswers();
}

// --- filters -------------------------------------------------------------------------------------

function matchesFilters(need) {
  const topicId = $("topic").value;
  if (topicId) {
    const topic = state.topics.find((tp) => tp.id === topicId);
    if (!topic?.needs.some((n) => n.key === need.key)) return false;
  }
  const place = $("region").value.trim().toLowerCase();
  if (place) {
    const where = [need.organization?.city, need.organization_description]
      .filter(Boolean)
      .join(" ")
      .toLowerCase();
    const names = state.place.typed === place ? state.place.names : [];
    if (!where.includes(place) && !names.some((name) => mentions(where, name))) return false;
  }
  return true;
}

/** Whether `text` names `name` as a whole (Hamm is not in "Hamminkeln"). */
function mentions(text, name) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, "iu").test(text);
}

/**
 * The names a need's place may have when `place` (lower case) is typed: the region it names, the
 * regions it lies in and those that lie in it (GET /graph/search). A need shows only its town
 * or, if confidential, its district; so "Witten" finds a need "im Gebiet Ennepe-Ruhr-Kreis" and
 * "Ennepe-Ruhr-Kreis" one in Witten. Only the shown words are compared: nothing more is learnt.
 */
async function placeNames(place) {
  if (place.length < 2) return [];
  const hits = await api("/graph/search", { query: { q: place } });
  // "Dortmund, kreisfreie Stadt" is named "Dortmund" too; "05954" is a region's key
  const names = (hit) => [(hit.name ?? "").split(",")[0], hit.id.slice("Region:".length)];
  return hits
    .filter((hit) => hit.label === "Region" && names(hit).some((n) => n.toLowerCase() === place))
    .flatMap((hit) => [hit.name, ...(hit.within ?? []), ...(hit.contains ?? [])]);
}

async function filterByPlace() {
  const place = $("region").value.trim().toLowerCase();
  let names = [];
  try {
    names = await placeNames(place);
  } catch {
    // the typed words alone still filter
  }
  if ($("region").value.trim().toLowerCase() !== place) return; // typed on meanwhile
  state.place = { typed: place, names };
  renderNeeds();
}

function renderNeeds() {
  const shown = state.fitting.filter((item) => matchesFilters(item.need));
  $("needs-count").textContent = state.org
    ? t("needs.count", { shown: shown.length, total: state.fitting.length })
    : "";
  fill(
    $("needs"),
    shown.map((item) => needCard(item.need, [fitLine(item), answerArea(item)])),
  );
}

function renderTopics() {
  const chosen = $("topic").value;
  fill(
    $("topic"),
    h("option", { value: "" }, t("needs.all_topics")),
    state.topics.map((topic) =>
      h(
        "option",
        { value: topic.id, selected: topic.id === chosen },
        `${topic.label} (${topic.size})`,
      ),
    ),
  );
  fill(
    $("topic-labels"),
    state.topics.map((topic) => h("option", { value: topic.label })),
  );
}

// --- subscriptions -------------------------------------------------------------------------------

function renderSubscriptions() {
  fill(
    $("subscriptions"),
    state.subscriptions.map((sub) =>
      h(
        "li",
        { class: "sub", "data-id": sub.id },
        h(
          "div",
          { class: "sub-head" },
          h("strong", {}, sub.query),
          " ",
          h(
            "button",
            { type: "button", class: "link", onclick: () => unsubscribe(sub) },
            t("subs.delete"),
          ),
        ),
        h(
          "p",
          { class: "help" },
          sub.previous
            ? t("subs.new_since", {
                count: sub.fresh.length,
                date: sub.previous.slice(0, 16).replace("T", " "),
              })
            : t("subs.new_first", { count: sub.fresh.length }),
        ),
        sub.fresh.length
          ? h(
              "ul",
              { class: "fresh" },
              sub.fresh.map((item) =>
                h(
                  "li",
                  {},
                  h("span", { class: "fresh-title" }, item.need.title ?? item.need.key),
                  " – ",
                  who(item.need),
                ),
              ),
            )
          : null,
      ),
    ),
  );
}

/** The visit: what is new for `sub` since the last one (the service records this visit). */
async function visit(sub) {
  const result = await api(`/subscriptions/${seg(sub.id)}/new`);
  return { ...sub, previous: sub.last_seen, fresh: result.needs };
}

async function subscribe(event) {
  event.preventDefault();
  const query = $("sub-query").value.trim();
  if (query.length < 2) {
    status(t("subs.query_missing"), "error");
    $("sub-query").focus();
    return;
  }
  try {
    const made = await api("/subscriptions", { method: "POST", body: { query } });
    state.subscriptions.push(await visit(made));
    $("sub-query").value = "";
    renderSubscriptions();
    status(t("subs.subscribed", { query }));
  } catch (error) {
    showError(error);
  }
}

async function unsubscribe(sub) {
  try {
    await api(`/subscriptions/${seg(sub.id)}`, { method: "DELETE" });
    state.subscriptions = state.subscriptions.filter((s) => s.id !== sub.id);
    renderSubscriptions();
    status(t("subs.deleted", { query: sub.query }));
  } catch (error) {
    showError(error);
  }
}

// --- loading -------------------------------------------------------------------------------------

async function loadFitting(org) {
  state.org = org;
  status(t("needs.loading"));
  try {
    state.fitting = await api(`/organizations/${seg(org)}/needs`, { query: { limit: 100 } });
    renderNeeds();
    status(t("needs.loaded", { count: state.fitting.length }));
  } catch (error) {
    state.fitting = [];
    renderNeeds();
    showError(error);
  }
}

/** A university chooses among itself and its units; staff type any organisation. */
async function setUpOrganization(me) {
  if (me.organization) {
    const unit = $("org-unit");
    unit.hidden = false;
    document.querySelector('label[for="org"]').setAttribute("for", "org-unit");
    const options = [h("option", { value: me.organization }, me.organization)];
    try {
      const profile = await api(`/organizations/${seg(me.organization)}`);
      options[0].textContent = profile.name ?? me.organization;
      state.units = [{ key: me.organization, name: profile.name }, ...(profile.children ?? [])];
      for (const child of profile.children ?? [])
        options.push(h("option", { value: child.key }, `– ${child.name ?? child.key}`));
    } catch {
      // the organisation's own needs still load below
    }
    fill(unit, options);
    return me.organization;
  }
  $("org").hidden = false;
  $("org").addEventListener(
    "input",
    debounce(async () => {
      const q = $("org").value.trim();
      if (q.length < 2 || q.includes(" – ")) return;
      try {
        const page = await api("/organizations", { query: { q, limit: 8 } });
        fill(
          $("org-options"),
          page.items.map((org) => h("option", { value: `${org.key} – ${org.name}` })),
        );
      } catch {
        // suggestions only
      }
    }),
  );
  return null;
}

function chosenOrganization(me) {
  return me.organization ? $("org-unit").value : $("org").value.split(" – ")[0].trim();
}

async function main() {
  const me = await startPage("needs");
  if (!me) return ready();
  state.me = me;
  const org = await setUpOrganization(me);
  $("org-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = chosenOrganization(me);
    if (chosen) loadFitting(chosen);
    else status(t("needs.org_missing"), "error");
  });
  $("topic").addEventListener("change", renderNeeds);
  $("region").addEventListener("input", debounce(filterByPlace, 150));
  $("subscribe").addEventListener("submit", subscribe);
  document.addEventListener("langchange", () => {
    renderTopics();
    renderNeeds();
    renderSubscriptions();
    renderAnswers();
  });

  const [topics, subscriptions] = await Promise.allSettled([
    api("/analytics/topics"),
    api("/subscriptions"),
  ]);
  if (topics.status === "fulfilled") state.topics = topics.value.topics;
  renderTopics();
  if (subscriptions.status === "fulfilled") {
    const visited = await Promise.allSettled(subscriptions.value.map(visit));
    state.subscriptions = visited.filter((v) => v.status === "fulfilled").map((v) => v.value);
    renderSubscriptions();
  }
  await loadAnswers();
  if (org) await loadFitting(org);
  for (const failed of [topics, subscriptions].filter((r) => r.status === "rejected"))
    showError(failed.reason);
  ready();
}

main();
