// A need as a case (staff): its company, status and owner; the suggestions as they were saved
// (the stored shortlist, which does not reshuffle) beside a fresh search; what was done with
// each partner (contacted / accepted / rejected, with a note); the universities that answered,
// whom staff connect with the company; and the history of the need (who changed what, when).

import { api, seg } from "./api.js";
import { fillCards } from "./cards.js";
import { fill, h } from "./dom.js";
import { t } from "./i18n.js";
import { keyFromPath, orgLink, ready, showError, startPage, status } from "./shell.js";

const FEEDBACK = ["contacted", "accepted", "rejected"];
const $ = (id) => document.getElementById(id);
const key = keyFromPath();
let current = null; // the case (GET /cases/{key})
let fresh = []; // the suggestions of a fresh search

const when = (iso) => (iso ? iso.slice(0, 16).replace("T", " ") : "");

function recorded(orgKey) {
  return current.feedback.find((f) => f.organization.key === orgKey);
}

function feedbackArea(s, index, list) {
  const before = recorded(s.key);
  const noteId = `${list}-note-${index}`;
  const note = h("input", { id: noteId, class: "note", maxlength: 2000, value: before?.note ?? "" });
  const said = h("span", { class: "feedback-state", "aria-live": "polite" });
  if (before) said.textContent = t("feedback.recorded", { status: t(`feedback.${before.status}`) });
  const buttons = FEEDBACK.map((choice) =>
    h(
      "button",
      {
        type: "button",
        class: `fb ${choice}`,
        "data-status": choice,
        "aria-pressed": before?.status === choice ? "true" : "false",
        onclick: async () => {
          try {
            await api(`/needs/${seg(key)}/suggestions/${seg(s.key)}/feedback`, {
              method: "POST",
              body: { status: choice, note: note.value.trim() || null },
            });
            await load();
            status(t("feedback.recorded_for", { name: s.name, status: t(`feedback.${choice}`) }));
          } catch (error) {
            showError(error);
          }
        },
      },
      t(`feedback.${choice}`),
    ),
  );
  return h(
    "div",
    { class: "feedback", role: "group", "aria-label": t("feedback.label", { name: s.name }) },
    h("label", { for: noteId }, t("feedback.note")),
    note,
    h("div", { class: "buttons" }, buttons),
    said,
  );
}

function renderHead() {
  const need = current.need;
  fill($("case-heading"), need.title ?? need.key);
  document.title = `${need.title ?? need.key} – partnergraph`;
  fill(
    $("case-meta"),
    need.organization ? orgLink(need.organization.key, need.organization.name) : "–",
    " · ",
    h("span", { class: "case-status", "data-status": current.case_status }, t(`case_status.${current.case_status}`)),
    " · ",
    h("span", { class: "badge" }, t(`visibility.${need.visibility}`)),
    " · ",
    t("case.owner", { name: current.owner_name ?? "–" }),
    " · ",
    t("case.created", { date: (need.created_at ?? "").slice(0, 10) }),
  );
  $("case-text").textContent = need.text ?? "";
  $("need-status").value = need.status;
}

function renderShortlist() {
  const stored = current.shortlist;
  $("shortlist-at").textContent = stored
    ? t("case.shortlist_at", { at: when(stored.at) })
    : t("case.no_shortlist");
  fillCards($("shortlist"), stored?.suggestions ?? [], (s, i) => feedbackArea(s, i, "kept"));
  // partners recorded but not on the shortlist (from a fresh search) are listed too
  const listed = new Set((stored?.suggestions ?? []).map((s) => s.key));
  for (const f of current.feedback.filter((f) => !listed.has(f.organization.key))) {
    $("shortlist").append(
      h(
        "li",
        { class: "card", "data-key": f.organization.key },
        orgLink(f.organization.key, f.organization.name),
        ` – ${t(`feedback.${f.status}`)}`,
        f.note ? ` (${f.note})` : "",
      ),
    );
  }
}

function renderFresh() {
  fillCards($("fresh"), fresh, (s, i) => feedbackArea(s, i, "fresh"));
}

function renderAnswers() {
  fill(
    $("answers"),
    current.answers.length
      ? current.answers.map((a) =>
          h(
            "li",
            { class: "answer", "data-id": a.id, "data-status": a.status },
            h("strong", {}, orgLink(a.organization.key, a.organization.name)),
            ` (${when(a.at)}): `,
            h("q", {}, a.message),
            " ",
            h("span", { class: "contact" }, t("answers.contact", { contact: a.contact })),
            " ",
            a.status === "connected"
              ? h("span", { class: "badge" }, t("answers.connected"))
              : h(
                  "button",
                  { type: "button", class: "connect", onclick: () => connect(a) },
                  t("answers.connect"),
                ),
          ),
        )
      : h("li", {}, t("answers.none")),
  );
}

function eventText(e) {
  const what = {
    status: () =>
      t("history.status", { old: t(`status.${e.old}`), new: t(`status.${e.new}`) }),
    visibility: () =>
      t("history.visibility", { old: t(`visibility.${e.old}`), new: t(`visibility.${e.new}`) }),
    feedback: () =>
      t("history.feedback", { name: e.org_name ?? e.org, status: t(`feedback.${e.new}`) }),
    answer: () => t("history.answer", { name: e.org_name ?? e.org }),
    connected: () => t("history.connected", { name: e.org_name ?? e.org }),
    shortlist: () => t("history.shortlist", { count: e.new }),
    created: () => t("history.created"),
  }[e.kind];
  return what ? what() : t(`history.${e.kind}`);
}

function renderHistory() {
  fill(
    $("history"),
    current.events.map((e) =>
      h(
        "li",
        { "data-kind": e.kind },
        h("time", { datetime: e.at }, when(e.at)),
        " ",
        eventText(e),
        e.note && e.kind === "feedback" ? ` – ${e.note}` : "",
        " ",
        h("span", { class: "help" }, t("history.by", { name: e.by_name ?? "–" })),
      ),
    ),
  );
}

function render() {
  renderHead();
  renderShortlist();
  renderFresh();
  renderAnswers();
  renderHistory();
}

async function load() {
  current = await api(`/cases/${seg(key)}`);
  render();
}

async function connect(answer) {
  try {
    current = await api(`/cases/${seg(key)}/answers/${seg(answer.id)}/connect`, { method: "POST" });
    render();
    status(t("answers.connected_with", { name: answer.organization.name }));
  } catch (error) {
    showError(error);
  }
}

async function searchAgain() {
  status(t("search.searching"));
  $("fresh-submit").disabled = true;
  try {
    fresh = (await api(`/needs/${seg(key)}/suggestions`)).suggestions;
    renderFresh();
    status(t("search.found", { count: fresh.length }));
    $("fresh-heading").focus();
  } catch (error) {
    showError(error);
  } finally {
    $("fresh-submit").disabled = false;
  }
}

async function changeStatus(event) {
  event.preventDefault();
  try {
    await api(`/needs/${seg(key)}`, { method: "PATCH", body: { status: $("need-status").value } });
    await load();
    status(t("case.status_saved", { status: t(`status.${current.need.status}`) }));
  } catch (error) {
    showError(error);
  }
}

async function main() {
  const me = await startPage("case");
  if (!me) return ready();
  $("fresh-submit").addEventListener("click", searchAgain);
  $("status-form").addEventListener("submit", changeStatus);
  document.addEventListener("langchange", () => current && render());
  try {
    await load();
  } catch (error) {
    showError(error);
  }
  ready();
}

main();
