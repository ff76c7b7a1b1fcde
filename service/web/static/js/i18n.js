// German by default, English on request; the choice is kept in localStorage.
// Static text carries data-i18n="key" (textContent), data-i18n-placeholder,
// data-i18n-aria-label or data-i18n-title; dynamic text calls t("key", {name: value}).

export const LANGUAGES = ["de", "en"];
const STORE = "pg.lang";
let strings = {};

export function currentLang() {
  const chosen = localStorage.getItem(STORE);
  return LANGUAGES.includes(chosen) ? chosen : "de";
}

export async function loadStrings() {
  const lang = currentLang();
  const response = await fetch(`/static/i18n/${lang}.json`);
  strings = response.ok ? await response.json() : {};
  document.documentElement.lang = lang;
  translate(document);
}

/** The string for `key` with {placeholders} filled in; the key itself when it is missing. */
export function t(key, params = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? "").toString());
}

/** A number in the page's language (0,82 or 0.82). */
export function num(value, digits = 2) {
  if (value == null || Number.isNaN(value)) return "–";
  return Number(value).toLocaleString(currentLang(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

const ATTRIBUTES = [
  ["data-i18n-placeholder", "placeholder"],
  ["data-i18n-aria-label", "aria-label"],
  ["data-i18n-title", "title"],
];

export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const [source, target] of ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[${source}]`)) {
      el.setAttribute(target, t(el.getAttribute(source)));
    }
  }
}

/** Switch the language: static text at once, pages re-render on the "langchange" event. */
export async function setLang(lang) {
  localStorage.setItem(STORE, lang);
  await loadStrings();
  document.dispatchEvent(new CustomEvent("langchange", { detail: { lang } }));
}
