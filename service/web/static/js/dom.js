// Building DOM from data: every value becomes a text node or an attribute, never markup.
// Nothing in the pages parses strings as HTML; an organisation named "<script>…" stays text.

/**
 * h("li", {class: "card", onclick: fn}, "text", childNode, [more, children])
 * Strings become text nodes; null, undefined and false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = String(value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replace the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * `snippet` with the ranges `marks` ([[start, end], ...]) wrapped in <mark>.
 * The service counts characters as Python does (code points), so the text is split into code
 * points first; UTF-16 indices would shift after any character outside the BMP.
 */
export function marked(snippet, marks) {
  const chars = Array.from(snippet ?? "");
  const ranges = (marks ?? [])
    .map(([start, end]) => [Math.max(0, start), Math.min(chars.length, end)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue; // overlapping ranges: the first one wins
    out.append(chars.slice(at, start).join(""));
    out.append(h("mark", {}, chars.slice(start, end).join("")));
    at = end;
  }
  out.append(chars.slice(at).join(""));
  return out;
}

/** Calls `fn` once typing pauses for `ms`. */
export function debounce(fn, ms = 250) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Offer a file made in the browser for download. */
export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
