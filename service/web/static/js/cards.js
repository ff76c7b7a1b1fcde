// A partner suggestion as a card: strength, score parts, marked evidence, the connecting path
// and shared projects and events; the name links to the organisation's profile. Shared by the
// search page and the case page.

import { fill, h, marked } from "./dom.js";
import { num, t } from "./i18n.js";
import { kindName, orgLink } from "./shell.js";

export function scoreBar(s, scale) {
  const parts = ["semantic", "lexical", "graph"];
  const bar = h("div", {
    class: "bar",
    role: "img",
    "aria-label": t("score.parts_label", {
      semantic: num(s.parts.semantic),
      lexical: num(s.parts.lexical),
      graph: num(s.parts.graph),
    }),
  });
  for (const part of parts) {
    const segment = h("span", {
      class: `part ${part}`,
      title: `${t(`score.${part}`)}: ${num(s.parts[part])}`,
    });
    // width through the CSSOM: the pages' CSP allows no inline style attributes
    segment.style.width = `${Math.max(0, (100 * s.parts[part]) / scale)}%`;
    bar.append(segment);
  }
  return h(
    "div",
    { class: "score" },
    h("span", { class: "score-value" }, t("score.total", { score: num(s.score) })),
    bar,
  );
}

export function evidenceList(items) {
  if (!items?.length) return null;
  return h(
    "ul",
    { class: "evidence", "aria-label": t("search.evidence") },
    items.map((item) =>
      h(
        "li",
        {},
        h("span", { class: "badge" }, t(`label.${item.label}`)),
        " ",
        h("strong", {}, item.title),
        h("p", { class: "snippet" }, marked(item.snippet, item.marks)),
      ),
    ),
  );
}

export function pathOf(steps) {
  if (!steps?.length) return null;
  return h(
    "div",
    { class: "path" },
    h("span", { class: "path-label" }, t("search.path"), " "),
    h(
      "ol",
      { class: "steps" },
      steps.map((step) =>
        h(
          "li",
          {},
          step.via ? h("span", { class: "via" }, t(`via.${step.via}`)) : null,
          h("span", { class: "step-name" }, step.name ?? step.key ?? ""),
        ),
      ),
    ),
  );
}

export function shared(s) {
  const lines = [];
  if (s.shared_projects?.length)
    lines.push(h("li", {}, t("search.shared_projects"), ": ", s.shared_projects.join(", ")));
  if (s.shared_events?.length)
    lines.push(h("li", {}, t("search.shared_events"), ": ", s.shared_events.join(", ")));
  const signals = Object.entries(s.signals ?? {}).filter(([, value]) => value > 0);
  if (signals.length) {
    lines.push(
      h(
        "li",
        {},
        t("search.signals"),
        ": ",
        signals.map(([name, value]) => `${t(`signal.${name}`)} +${num(value)}`).join(", "),
      ),
    );
  }
  return lines.length ? h("ul", { class: "facts" }, lines) : null;
}


/** The strength band as a badge: stark / mittel / schwach (absolute, see README). */
export function strengthBadge(s) {
  const band = s.strength ?? "weak";
  return h(
    "span",
    { class: `strength ${band}`, title: t("strength.help") },
    t(`strength.${band}`),
  );
}

/** The card of suggestion `s` (rank `index`); `extra` goes last (feedback buttons). */
export function suggestionCard(s, index, scale, extra) {
  return h(
    "li",
    { class: `card strength-${s.strength ?? "weak"}`, "data-key": s.key },
    h(
      "div",
      { class: "card-head" },
      h(
        "h3",
        {},
        h("span", { class: "rank" }, `${index + 1}.`),
        " ",
        orgLink(s.key, s.name, { class: "name org-link" }),
        " ",
        strengthBadge(s),
      ),
      h(
        "p",
        { class: "meta" },
        h("span", { class: "kind" }, kindName(s.kind)),
        s.city ? h("span", { class: "city" }, s.city) : null,
        s.distance_km != null
          ? h("span", { class: "distance" }, t("search.distance", { km: num(s.distance_km, 0) }))
          : null,
      ),
    ),
    scoreBar(s, scale),
    evidenceList(s.evidence),
    pathOf(s.path),
    shared(s),
    extra,
  );
}

/** The largest total of score parts: bars are drawn relative to it. */
export function barScale(suggestions) {
  return Math.max(1e-9, ...suggestions.map((s) => s.parts.semantic + s.parts.lexical + s.parts.graph));
}

/**
 * Cards for `suggestions` into `list`, the weak ones below a line that says so (never mixed in
 * as if they were good). `extra(s, i)` makes each card's last part.
 */
export function fillCards(list, suggestions, extra = () => null) {
  const scale = barScale(suggestions);
  const strong = suggestions.filter((s) => s.strength !== "weak");
  const weak = suggestions.filter((s) => s.strength === "weak");
  const items = strong.map((s, i) => suggestionCard(s, i, scale, extra(s, i)));
  if (weak.length) {
    items.push(
      h(
        "li",
        { class: "weak-line", role: "separator" },
        strong.length ? t("strength.weak_line", { count: weak.length }) : t("strength.only_weak"),
      ),
    );
    weak.forEach((s, i) =>
      items.push(suggestionCard(s, strong.length + i, scale, extra(s, strong.length + i))),
    );
  }
  fill(list, items);
}
