// Partnersuche (staff): a need in the company's words -> ranked, explained partners.
// POST /match for a search; POST /needs saves the need, GET /needs/{key}/suggestions then
// carries what was recorded for each partner; feedback goes to .../{org}/feedback.
// A saved anonymous or confidential need shows the wording proposed for universities and
// analysts (GET /needs/{key}/shared), which staff edit and release (PUT).

import { api, seg } from "./api.js";
import { fillCards } from "./cards.js";
import { debounce, fill, h, marked } from "./dom.js";
import { t } from "./i18n.js";
import {
  KINDS,
  caseLink,
  kindName,
  ready,
  showError,
  startPage,
  status,
  submitOnCtrlEnter,
} from "./shell.js";

const FEEDBACK = ["contacted", "accepted", "rejected"];
const state = {
  suggestions: [],
  request: null, // the body of the last search
  need: null, // the saved need (NeedView), once saved
  shared: null, // its shared wording (SharedWording), when it is not public
  feedback: new Map(), // organisation key -> {status, note}
  token: null, // the Idempotency-Key of saving the current search's need
};

const $ = (id) => document.getElementById(id);

function renderKinds() {
  const chosen = new Set(selectedKinds());
  fill(
    $("kinds"),
    KINDS.map((kind) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "kinds", value: kind, checked: chosen.has(kind) }),
        " ",
        kindName(kind),
      ),
    ),
  );
}

function selectedKinds() {
  return [...document.querySelectorAll('input[name="kinds"]:checked')].map((box) => box.value);
}

/** "A13", "a13 Metallbauer" or a name picked from the list -> the trade code, if any. */
function tradeCode(value) {
  const match = /^\s*([A-Za-z]\d{1,2})\b/.exec(value ?? "");
  return match ? match[1].toUpperCase() : null;
}

/** The organisation key typed or picked ("org-brandt" or "org-brandt – Brandt GmbH"). */
function askerKey() {
  return $("asker").value.split(" – ")[0].trim() || null;
}

// --- suggestions as cards ------------------------------------------------------------------------

function feedbackArea(s, index) {
  const recorded = state.feedback.get(s.key);
  const noteId = `note-${index}`;
  const note = h("input", {
    id: noteId,
    class: "note",
    maxlength: 2000,
    disabled: !state.need,
    value: recorded?.note ?? "",
  });
  const said = h("span", { class: "feedback-state", "aria-live": "polite" });
  if (recorded)
    said.textContent = t("feedback.recorded", { status: t(`feedback.${recorded.status}`) });
  else if (!state.need) said.textContent = t("feedback.save_first");
  const buttons = FEEDBACK.map((choice) =>
    h(
      "button",
      {
        type: "button",
        class: `fb ${choice}`,
        "data-status": choice,
        "aria-pressed": recorded?.status === choice ? "true" : "false",
        disabled: !state.need,
        onclick: () => sendFeedback(s, choice, note, said, buttons),
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

async function sendFeedback(s, choice, note, said, buttons) {
  try {
    const recorded = await api(`/needs/${seg(state.need.key)}/suggestions/${seg(s.key)}/feedback`, {
      method: "POST",
      body: { status: choice, note: note.value.trim() || null },
    });
    state.feedback.set(s.key, { status: recorded.status, note: recorded.note });
    for (const button of buttons)
      button.setAttribute("aria-pressed", String(button.dataset.status === choice));
    said.textContent = t("feedback.recorded", { status: t(`feedback.${choice}`) });
  } catch (error) {
    showError(error);
  }
}

function renderResults() {
  const list = $("results");
  $("score-legend").hidden = state.suggestions.length === 0;
  fillCards(list, state.suggestions, (s, i) => feedbackArea(s, i));
  $("save-form").hidden = state.request === null;
  if (state.need) {
    fill(
      $("saved-as"),
      t("search.saved_as_prefix"),
      " ",
      caseLink(state.need.key, state.need.title ?? state.need.key),
    );
  }
}

// --- actions -------------------------------------------------------------------------------------

async function search(event) {
  event.preventDefault();
  const text = $("need-text").value.trim();
  if (text.length < 3) {
    status(t("search.text_missing"), "error");
    $("need-text").focus();
    return;
  }
  const near = $("near").value.trim();
  const radius = $("radius").value ? Number($("radius").value) : null;
  const asker = askerKey();
  if (near && !/^\d{5}$/.test(near)) {
    status(t("search.near_invalid"), "error");
    $("near").focus();
    return;
  }
  if (radius != null && !near && !asker) {
    status(t("search.radius_needs_origin"), "error");
    $("near").focus();
    return;
  }
  const trade = tradeCode($("trade").value);
  const region = $("region").value.trim();
  const body = {
    text,
    kinds: selectedKinds().length ? selectedKinds() : null,
    trades: trade ? [trade] : null,
    regions: region.length >= 2 ? [region] : null,
    near: near || null,
    radius_km: radius,
    limit: Number($("limit").value),
    asker,
  };
  status(t("search.searching"));
  $("search-submit").disabled = true;
  try {
    const result = await api("/match", { method: "POST", body });
    state.suggestions = result.suggestions;
    state.request = body;
    state.token = newToken(); // one need per search, however often "save" is clicked
    state.need = null;
    state.shared = null;
    state.feedback = new Map();
    $("saved-as").textContent = "";
    $("release-form").hidden = true;
    if (!$("need-title").value) $("need-title").value = titleFrom(text);
    renderResults();
    const said = [t("search.found", { count: result.suggestions.length })];
    if (body.trades) said.push(await tradeEffect(body, result.suggestions));
    status(said.filter(Boolean).join(" "));
    $("results-heading").focus(); // keyboard and screen-reader users land on the results
  } catch (error) {
    state.suggestions = []; // no results of an earlier search under the error
    state.request = null;
    renderResults();
    showError(error);
  } finally {
    $("search-submit").disabled = false;
  }
}

/** Whether the trade filter changed the order at all; says so when it did not. */
async function tradeEffect(body, suggestions) {
  try {
    const without = await api("/match", { method: "POST", body: { ...body, trades: null } });
    const same =
      without.suggestions.map((s) => s.key).join("|") === suggestions.map((s) => s.key).join("|");
    return same ? t("search.filter_no_effect", { filter: t("search.trade_label") }) : "";
  } catch {
    return "";
  }
}

function newToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A first title for the need: its first sentence, cut at a word. */
function titleFrom(text) {
  const sentence = text.split(/(?<=[.!?])\s/)[0];
  if (sentence.length <= 90) return sentence;
  return `${sentence.slice(0, 90).replace(/\s+\S*$/, "")} …`;
}

async function save(event) {
  event.preventDefault();
  const asker = askerKey();
  if (!asker) {
    status(t("search.save_needs_asker"), "error");
    $("asker").focus();
    return;
  }
  const title = $("need-title").value.trim();
  if (title.length < 3) {
    status(t("search.title_missing"), "error");
    $("need-title").focus();
    return;
  }
  $("save-submit").disabled = true;
  try {
    const need = await api("/needs", {
      method: "POST",
      body: { org_key: asker, title, text: state.request.text, visibility: $("visibility").value },
      headers: { "Idempotency-Key": state.token },
    });
    // the suggestions as shown are the need's shortlist: they stay as they are, also later
    await api(`/cases/${seg(need.key)}/shortlist`, {
      method: "PUT",
      body: { suggestions: state.suggestions },
    });
    state.need = need;
    renderResults();
    status(t("search.saved", { key: need.title ?? need.key }));
    await showRelease();
  } catch (error) {
    showError(error);
  } finally {
    $("save-submit").disabled = false;
  }
}

// --- the shared wording of a non-public need ----------------------------------------------------

/** The proposal with its replaced passages marked, and the list of what each replaced. */
async function showRelease() {
  const form = $("release-form");
  form.hidden = !state.need || state.need.visibility === "public";
  if (form.hidden) return;
  const shared = await api(`/needs/${seg(state.need.key)}/shared`);
  state.shared = shared;
  renderRelease();
  $("release-title").value = shared.released ? shared.shared_title : shared.proposed_title.text;
  $("release-text").value = shared.released ? shared.shared_text : shared.proposed_text.text;
}

function renderRelease() {
  const shared = state.shared;
  if (!shared) return;
  $("release-description").textContent = shared.released
    ? shared.shared_description
    : shared.description;
  const proposal = shared.proposed_text;
  fill(
    $("release-preview"),
    h("strong", {}, marked(shared.proposed_title.text, shared.proposed_title.marks.map(span))),
    h("br"),
    marked(proposal.text, proposal.marks.map(span)),
  );
  const marks = [...shared.proposed_title.marks, ...proposal.marks];
  fill(
    $("release-replaced"),
    marks.length
      ? marks.map((m) => h("li", {}, t("release.replaced", replacedWords(m, proposal, shared))))
      : h("li", {}, t("release.nothing_replaced")),
  );
  $("release-state").textContent = shared.released
    ? t("release.released", { at: shared.released_at?.slice(0, 10) ?? "", key: shared.shared_key })
    : t("release.pending");
}

const span = (m) => [m.start, m.end];

function replacedWords(mark, proposal, shared) {
  const inTitle = shared.proposed_title.marks.includes(mark);
  const text = Array.from(inTitle ? shared.proposed_title.text : proposal.text);
  return {
    original: mark.original,
    placeholder: text.slice(mark.start, mark.end).join(""),
    kind: t(`release.kind.${mark.kind}`),
  };
}

async function release(event) {
  event.preventDefault();
  const title = $("release-title").value.trim();
  const text = $("release-text").value.trim();
  if (title.length < 3 || text.length < 3) {
    status(t("release.missing"), "error");
    $(title.length < 3 ? "release-title" : "release-text").focus();
    return;
  }
  $("release-submit").disabled = true;
  try {
    state.shared = await api(`/needs/${seg(state.need.key)}/shared`, {
      method: "PUT",
      body: { title, text },
    });
    renderRelease();
    status($("release-state").textContent);
  } catch (error) {
    showError(error);
  } finally {
    $("release-submit").disabled = false;
  }
}

// --- look-ups for the asker and trade fields -----------------------------------------------------

const lookUpAsker = debounce(async () => {
  const q = $("asker").value.trim();
  if (q.length < 2 || q.includes(" – ")) return;
  try {
    const page = await api("/organizations", { query: { q, limit: 8 } });
    fill(
      $("asker-options"),
      page.items.map((org) =>
        h(
          "option",
          { value: `${org.key} – ${org.name}` },
          [org.name, org.city].filter(Boolean).join(", "),
        ),
      ),
    );
  } catch {
    // suggestions only: typing a key works without them
  }
});

const lookUpTrade = debounce(async () => {
  const q = $("trade").value.trim();
  if (q.length < 2 || tradeCode(q)) return;
  try {
    const hits = await api("/graph/search", { query: { q } });
    fill(
      $("trade-options"),
      hits
        .filter((hit) => hit.label === "Trade")
        .map((hit) =>
          h("option", {
            value: `${hit.id.split(":").slice(1).join(":")} ${hit.name ?? ""}`.trim(),
          }),
        ),
    );
  } catch {
    // as above
  }
});

async function main() {
  const me = await startPage("search");
  if (!me) return ready();
  renderKinds();
  $("search-form").addEventListener("submit", search);
  submitOnCtrlEnter($("search-form"));
  $("save-form").addEventListener("submit", save);
  $("release-form").addEventListener("submit", release);
  $("asker").addEventListener("input", lookUpAsker);
  $("trade").addEventListener("input", lookUpTrade);
  document.addEventListener("langchange", () => {
    renderKinds();
    renderResults();
    renderRelease();
  });
  ready();
}

main();
