// Search by number (any common format), IMEI or IMSI: the entity and its history.
import { api, el, fmtTime, href, registerPage, ROLE_LABEL } from '../shell.ts';
import type { Entity, Seen } from '../types.ts';

function seenTable(caption: string, key: 'number' | 'imei' | 'imsi', rows: Seen[]): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'muted' }, `${caption}: none recorded.`);
  return el('table', { class: 'data' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...[key.toUpperCase() === 'NUMBER' ? 'Number' : key.toUpperCase(), 'First seen', 'Last seen', 'Events'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {},
      el('th', { scope: 'row' }, el('a', { href: href('/search', { q: r[key] ?? '' }) }, r[key] ?? '')),
      el('td', {}, fmtTime(r.first_utc)), el('td', {}, fmtTime(r.last_utc)), el('td', { class: 'num' }, String(r.events))))));
}

function entityView(e: Entity): HTMLElement {
  const title = e.kind === 'number' ? `Number ${e.id}` : `${e.kind.toUpperCase()} ${e.id}`;
  const parts: (Node | string)[] = [
    el('h2', {}, title),
    el('p', {}, `${e.events.toLocaleString('en-GB')} events from ${fmtTime(e.first_utc)} to ${fmtTime(e.last_utc)}`,
      e.role ? ` · role: ${ROLE_LABEL[e.role] ?? e.role}` : ''),
  ];
  if (e.kind === 'number') {
    parts.push(el('p', { class: 'actions' },
      el('a', { class: 'button', href: href('/network', { number: e.id }) }, 'Network around it'), ' ',
      el('a', { class: 'button', href: href('/map', { number: e.id }) }, 'Its cells on the map')));
    if (e.lines?.length) parts.push(el('p', {}, 'Lines: ', ...e.lines.flatMap((l, i) => [i ? ', ' : '', el('a', { href: `#/lines/${encodeURIComponent(l)}` }, l)])));
    const s = e.subscriber;
    parts.push(s ? el('p', {}, `Subscriber check (${s.operator}): ${s.pay_as_you_go ? 'pay as you go' : 'contract'}, activated ${s.activation_date ?? '—'}, registered to ${s.registered_name ?? '—'}`) :
      el('p', { class: 'muted' }, 'No subscriber check on file.'));
    parts.push(seenTable('Handsets (IMEI) used with this number', 'imei', e.handsets ?? []));
    parts.push(seenTable('SIMs (IMSI) used with this number', 'imsi', e.sims ?? []));
    if (e.top_contacts?.length) {
      parts.push(el('table', { class: 'data' }, el('caption', {}, 'Most frequent contacts'),
        el('thead', {}, el('tr', {}, ...['Number', 'Role', 'Events'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...e.top_contacts.map((c) => el('tr', {},
          el('th', { scope: 'row' }, el('a', { href: href('/search', { q: c.number }) }, c.number)),
          el('td', {}, c.role ? (ROLE_LABEL[c.role] ?? c.role) : '—'), el('td', { class: 'num' }, String(c.events)))))));
    }
  } else {
    parts.push(seenTable(`Numbers used with this ${e.kind.toUpperCase()}`, 'number', e.numbers ?? []));
    const other = e.kind === 'imei' ? e.sims : e.handsets;
    parts.push(seenTable(e.kind === 'imei' ? 'SIMs (IMSI) in this handset' : 'Handsets (IMEI) this SIM was in', e.kind === 'imei' ? 'imsi' : 'imei', other ?? []));
  }
  parts.push(el('h3', {}, `Findings (${e.findings_total})`));
  const findingItem = (f: Entity['findings'][number]) => {
    const li = el('li', {}, el('strong', {}, f.kind.replace('_', ' ')), ` ${fmtTime(f.at_utc)}: ${f.explanation}`);
    if (f.line_id) li.append(' (', el('a', { href: `#/lines/${encodeURIComponent(f.line_id)}` }, f.line_id), ')');
    return li;
  };
  parts.push(e.findings.length ? el('ul', {}, ...e.findings.map(findingItem)) : el('p', { class: 'muted' }, 'None.'));
  return el('section', { class: 'card entity', 'data-kind': e.kind }, ...parts);
}

registerPage(
  '/search',
  'Search',
  async (root, params) => {
    const input = el('input', { id: 's-q', name: 'q', type: 'search', value: params.q ?? '', placeholder: '07700 900123, +447700900123, IMEI or IMSI', required: true });
    const form = el('form', { role: 'search', class: 'filters' }, el('label', { for: 's-q' }, 'Number, IMEI or IMSI'), input, el('button', { type: 'submit' }, 'Search'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = href('/search', { q: input.value.trim() });
    });
    root.replaceChildren(el('h1', {}, 'Search'), form);
    if (!params.q) {
      input.focus();
      return;
    }
    const res = await api<{ query: string; matches: Entity[] }>('GET', `/api/v1/search?q=${encodeURIComponent(params.q)}`);
    root.append(el('p', { role: 'status' }, res.matches.length ? `${res.matches.length} match${res.matches.length > 1 ? 'es' : ''} for “${res.query}”.` : `Nothing in this case matches “${res.query}”.`));
    for (const m of res.matches) root.append(entityView(m));
  },
  { nav: true },
);
