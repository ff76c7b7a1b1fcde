// What every page shares: the header (navigation by role, language, sign-out), the status
// line, and the check that the signed-in key may use the page.

import { ApiError, api, forget, remember, storedKey } from "./api.js";
import { h, fill } from "./dom.js";
import { currentLang, loadStrings, setLang, t } from "./i18n.js";

// Which roles each page serves (admins may use everything, as in the API).
export const PAGES = [
  { id: "search", href: "/partnersuche", label: "nav.search", roles: ["staff", "admin"] },
  { id: "cases", href: "/faelle", label: "nav.cases", roles: ["staff", "admin"] },
  { id: "needs", href: "/bedarfe", label: "nav.needs", roles: ["university", "staff", "admin"] },
  {
    id: "network",
    href: "/netzwerk",
    label: "nav.network",
    roles: ["analyst", "university", "staff", "admin"],
  },
];

// Pages of one thing (a case, an organisation): reached by links, not in the navigation.
const ITEM_PAGES = [
  { id: "case", href: "/faelle/", roles: ["staff", "admin"] },
  { id: "organisation", href: "/organisation/", roles: ["analyst", "university", "staff", "admin"] },
];

export const pagesFor = (role) => PAGES.filter((page) => page.roles.includes(role));

/** A message in the page's live region (read out by screen readers). */
export function status(message, kind = "info") {
  const el = document.getElementById("status");
  el.textContent = message;
  el.dataset.kind = kind;
}

export function showError(error) {
  status(error instanceof ApiError ? error.describe() : String(error?.message ?? error), "error");
}

function renderHeader(me) {
  const other = currentLang() === "de" ? "en" : "de";
  const links = me
    ? pagesFor(me.role).map((page) =>
        h(
          "li",
          {},
          h(
            "a",
            {
              href: page.href,
              "aria-current": window.location.pathname.startsWith(page.href) ? "page" : null,
            },
            t(page.label),
          ),
        ),
      )
    : [];
  fill(
    document.getElementById("top"),
    h("a", { class: "brand", href: "/" }, "partnergraph"),
    h("nav", { "aria-label": t("nav.label") }, h("ul", {}, links)),
    h(
      "div",
      { class: "tools" },
      me
        ? h(
            "span",
            { class: "who", id: "who" },
            t("nav.signed_in_as", { name: me.name, role: t(`role.${me.role}`) }),
          )
        : null,
      h(
        "button",
        {
          type: "button",
          id: "lang-switch",
          lang: other,
          "aria-label": t("lang.switch_label"),
          onclick: () => setLang(other),
        },
        t("lang.switch"),
      ),
      me
        ? h(
            "button",
            {
              type: "button",
              id: "sign-out",
              onclick: () => {
                forget();
                window.location.assign("/");
              },
            },
            t("nav.sign_out"),
          )
        : null,
    ),
  );
}

/**
 * Load the strings, check the key, draw the header. Resolves to the caller ({key_id, name, role,
 * organization}) when the page may be used, else null (the page then shows why, or goes to the
 * sign-in page).
 */
export async function startPage(pageId) {
  await loadStrings();
  let me = null;
  const key = storedKey();
  if (key) {
    try {
      me = await api("/me");
      remember(key, me);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) forget();
      else {
        renderHeader(null);
        showError(error);
        return null;
      }
    }
  }
  renderHeader(me);
  document.addEventListener("langchange", () => renderHeader(me));
  if (pageId === "signin") return me;
  if (!me) {
    window.location.replace(`/?next=${encodeURIComponent(window.location.pathname)}`);
    return null;
  }
  const page = [...PAGES, ...ITEM_PAGES].find((p) => p.id === pageId);
  if (!page.roles.includes(me.role)) {
    status(t("error.role_page", { role: t(`role.${me.role}`) }), "error");
    return null;
  }
  document.getElementById("content").hidden = false;
  return me;
}

/** Mark the page as set up (its handlers are in place): tests wait for this. */
export function ready() {
  document.body.dataset.ready = "true";
}

/** The organisation kinds of the graph model, for filters and labels. */
export const KINDS = [
  "company",
  "craft_business",
  "service_provider",
  "university",
  "institute",
  "research_group",
  "chamber",
  "agency",
];

/** The label of a kind in the page's language; unknown kinds as they are. */
export function kindName(kind) {
  if (!kind) return "";
  const name = t(`kind.${kind}`);
  return name === `kind.${kind}` ? kind : name;
}

/** The key a page of one thing is about: the last segment of its path (/faelle/{key}). */
export function keyFromPath() {
  return decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop() ?? "");
}

/** A link to an organisation's profile page. */
export function orgLink(key, name, attrs = {}) {
  return h("a", { href: `/organisation/${encodeURIComponent(key)}`, class: "org-link", ...attrs }, name ?? key);
}

/** A link to a need's case page (staff). */
export function caseLink(key, text) {
  return h("a", { href: `/faelle/${encodeURIComponent(key)}`, class: "case-link" }, text ?? key);
}

/** The case statuses and need statuses in the page's language. */
export const CASE_STATUSES = ["new", "in_progress", "partner_found", "solved", "closed"];

/** Ctrl+Enter (or Cmd+Enter) in any field of `form` submits it. */
export function submitOnCtrlEnter(form) {
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
