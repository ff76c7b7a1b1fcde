// Sign-in: the key is checked with GET /me and kept in sessionStorage for this tab's session.

import { ApiError, api, remember } from "./api.js";
import { h, fill } from "./dom.js";
import { t } from "./i18n.js";
import { PAGES, pagesFor, ready, showError, startPage, status } from "./shell.js";

function showWelcome(me) {
  document.getElementById("signin").hidden = true;
  const section = document.getElementById("welcome");
  section.hidden = false;
  fill(
    document.getElementById("welcome-heading"),
    t("signin.welcome", { name: me.name, role: t(`role.${me.role}`) }),
  );
  fill(
    document.getElementById("welcome-pages"),
    pagesFor(me.role).map((page) =>
      h("li", {}, h("a", { href: page.href }, t(page.label)), " – ", t(`${page.label}_about`)),
    ),
  );
}

/** Where to go after signing in: the page asked for if the role may use it, else the first. */
function destination(me) {
  const next = new URLSearchParams(window.location.search).get("next");
  const allowed = pagesFor(me.role);
  const asked = allowed.find((page) => page.href === next);
  return (asked ?? allowed[0] ?? PAGES[0]).href;
}

async function signIn(event) {
  event.preventDefault();
  const form = event.target;
  const key = form.elements.key.value.trim();
  if (!key) {
    status(t("signin.key_missing"), "error");
    form.elements.key.focus();
    return;
  }
  status(t("signin.checking"));
  let me;
  try {
    me = await api("/me", { key });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) status(t("signin.key_unknown"), "error");
    else showError(error);
    form.elements.key.select();
    return;
  }
  remember(key, me);
  window.location.assign(destination(me));
}

async function main() {
  // first of all: the key must never go out as a plain form submission (in the URL)
  document.getElementById("signin").addEventListener("submit", signIn);
  const me = await startPage("signin");
  if (me) showWelcome(me);
  document.addEventListener("langchange", () => me && showWelcome(me));
  ready();
}

main();
