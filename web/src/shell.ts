// The app shell: a hash router that pages register with, the main navigation, and the
// one way pages talk to the server (`api`). Pages under ./ops/ use the same contract.

/** An error answer from the API: the HTTP status and the envelope's code and message. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Render = (root: HTMLElement, params: Record<string, string>) => Promise<void>;

interface Page {
  path: string;
  title: string;
  render: Render;
  nav: boolean;
  segments: string[];
}

const pages: Page[] = [];

/**
 * Registers a page at a hash path such as `/lines/:id` (shown as `#/lines/LS0001`).
 * Query parameters after `?` in the hash and `:name` segments both arrive in `params`.
 */
export function registerPage(
  path: string,
  title: string,
  render: Render,
  opts?: { nav?: boolean },
): void {
  pages.push({ path, title, render, nav: opts?.nav ?? false, segments: split(path) });
  renderNav();
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * Calls the JSON API. Non-GET requests carry the `ls_csrf` cookie's value as
 * `x-csrf-token`; a 401 sends the user to `#/login`; any error throws `ApiError`.
 * `onHeaders` sees the response before its body is read (to start other work meanwhile).
 */
export async function api<T>(method: string, url: string, body?: unknown, onHeaders?: (res: Response) => void): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method.toUpperCase() !== 'GET') {
    const token = readCookie('ls_csrf');
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'network', `The server did not answer (${String(e)}).`);
  }
  onHeaders?.(res);
  if (res.status === 401 && !location.hash.startsWith('#/login')) {
    location.hash = '#/login';
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      if (!res.ok) throw new ApiError(res.status, 'http', text.slice(0, 200));
      throw new ApiError(res.status, 'bad_json', 'The server sent something that is not JSON.');
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http', err?.message ?? res.statusText);
  }
  return data as T;
}

/** Creates an element with attributes and children (strings become text, never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/** `#/path?k=v` for a page path and parameters. */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/** Shows an error in place of a page's content. */
export function showError(root: HTMLElement, e: unknown): void {
  const msg =
    e instanceof ApiError ? `${e.message} (${e.status} ${e.code})` : e instanceof Error ? e.message : String(e);
  root.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('strong', {}, 'Could not load: '), msg));
}

function renderNav(): void {
  const nav = document.getElementById('nav');
  if (!nav) return;
  const current = location.hash.slice(1).split('?')[0] || '/';
  const ul = el('ul');
  for (const p of pages.filter((p) => p.nav)) {
    const active = current === p.path || (p.path !== '/' && current.startsWith(p.path + '/'));
    ul.append(el('li', {}, el('a', { href: `#${p.path}`, 'aria-current': active ? 'page' : undefined }, p.title)));
  }
  nav.replaceChildren(ul);
}

function match(hashPath: string): { page: Page; params: Record<string, string> } | undefined {
  const segs = split(hashPath);
  for (const page of pages) {
    if (page.segments.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    page.segments.forEach((s, i) => {
      if (s.startsWith(':')) params[s.slice(1)] = decodeURIComponent(segs[i]);
      else if (s !== segs[i]) ok = false;
    });
    if (ok) return { page, params };
  }
  return undefined;
}

let generation = 0;

async function route(): Promise<void> {
  const main = document.getElementById('main');
  if (!main) return;
  const raw = location.hash.slice(1) || '/';
  const [path, query] = raw.split('?', 2);
  const found = match(path);
  renderNav();
  const mine = ++generation;
  main.dataset.ready = 'false';
  if (!found) {
    main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, 'No page at ', el('code', {}, raw), '. ', el('a', { href: '#/' }, 'Go to the lines.')));
    main.dataset.ready = 'true';
    return;
  }
  const params: Record<string, string> = { ...found.params };
  new URLSearchParams(query ?? '').forEach((v, k) => (params[k] = v));
  document.title = `${found.page.title} · linesight`;
  const root = el('div', { class: 'page' });
  main.replaceChildren(root);
  root.append(el('p', { class: 'loading', role: 'status' }, 'Loading…'));
  try {
    await found.page.render(root, params);
  } catch (e) {
    if (mine === generation) showError(root, e);
  }
  if (mine === generation) main.dataset.ready = 'true';
}

/** Starts routing; call once after every page has registered. */
export function start(): void {
  window.addEventListener('hashchange', () => void route());
  document.getElementById('skip-link')?.addEventListener('click', (ev) => {
    ev.preventDefault();
    document.getElementById('main')?.focus();
  });
  const form = document.getElementById('quick-search') as HTMLFormElement | null;
  form?.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = (form.elements.namedItem('q') as HTMLInputElement).value.trim();
    if (q) location.hash = href('/search', { q });
  });
  void route();
}

// Formatting shared by the pages.

/** `25 Oct 2026 01:30` from an ISO time (UTC). */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toLocaleDateString('en-GB', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' })} ${d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })}`;
}

/** `25 Oct 2026` from an ISO time or day. */
export function fmtDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString('en-GB', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** `£12,300` */
export function fmtGbp(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return `£${Math.round(v).toLocaleString('en-GB')}`;
}

/** Role names as an analyst says them. */
export const ROLE_LABEL: Record<string, string> = {
  deal_line: 'Deal line',
  controller: 'Controller',
  runner: 'Runner (possible victim)',
  customer: 'Customer',
  cuckooed_resident: 'Cuckooed resident (victim)',
  contact: 'Other contact',
};

/** Role colours, chosen to stay apart for colour-blind readers and on white. */
export const ROLE_COLOUR: Record<string, string> = {
  deal_line: '#c0392b',
  controller: '#6c3483',
  runner: '#d68910',
  cuckooed_resident: '#1f7a8c',
  customer: '#5d6d7e',
  contact: '#aab7b8',
};

/** A small SVG sparkline of daily values. */
export function sparkline(values: number[], label: string, width = 120, height = 24): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('sparkline');
  const max = Math.max(1, ...values);
  const n = Math.max(1, values.length - 1);
  const pts = values.map((v, i) => `${((i / n) * (width - 2) + 1).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`);
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', pts.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '1.5');
  svg.append(line);
  return svg;
}
