/* global document, fetch, Node */
// Shared by the classroom pages: JSON requests to this page's own origin only.
export async function api(path, { method = 'GET', token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error ?? `${res.status}`);
  return data;
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'onclick') e.addEventListener('click', v);
    else if (k === 'style') e.style.cssText = v;
    else if (v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

export const LEVEL_NAMES = { U: 'U unilateral', C: 'C club', M: 'M multilateral' };
export const LEVEL_COLORS = { U: '#D55E00', C: '#0072B2', M: '#009E73' };

export function fmt(x, digits = 2) {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}
