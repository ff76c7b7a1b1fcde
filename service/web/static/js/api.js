// The service's API under /api/v1: the key from sessionStorage as a Bearer token, errors as
// ApiError carrying the problem+json body.

import { currentLang, t } from "./i18n.js";

const KEY = "pg.key";
const ME = "pg.me";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** One line for people: the problem's title and detail. */
  describe() {
    if (this.status === 0) return t("error.network");
    const { title, detail } = this.problem;
    return [title, detail].filter(Boolean).join(": ") || `HTTP ${this.status}`;
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY);
}

export function storedMe() {
  try {
    return JSON.parse(sessionStorage.getItem(ME) ?? "null");
  } catch {
    return null;
  }
}

export function remember(key, me) {
  sessionStorage.setItem(KEY, key);
  sessionStorage.setItem(ME, JSON.stringify(me));
}

export function forget() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ME);
}

/**
 * api("/needs", {method: "POST", body: {...}}) or api("/graph/search", {query: {q: "x"}}).
 * Query values that are null or "" are left out; arrays repeat the parameter.
 */
export async function api(path, { method = "GET", body, query, key, accept, headers: extra } = {}) {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value == null || value === "") continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, item);
    else url.searchParams.set(name, value);
  }
  const headers = {
    Authorization: `Bearer ${key ?? storedKey() ?? ""}`,
    "Accept-Language": currentLang(),
    Accept: accept ?? "application/json",
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  Object.assign(headers, extra ?? {});
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, { detail: String(error) });
  }
  if (response.status === 204) return null;
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem);
  }
  if (accept && accept !== "application/json") return response.blob();
  return response.json();
}

/** A key as one path segment (keys may hold any character). */
export const seg = (value) => encodeURIComponent(String(value));
