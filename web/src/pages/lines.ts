// Lines overview: every detected line, sortable and filterable, with a daily sparkline.
import { api, el, fmtDay, fmtGbp, href, registerPage, sparkline } from '../shell.ts';
import type { CaseSummary, LinesResponse } from '../types.ts';

const COLUMNS: { key: string; label: string; sort?: string; numeric?: boolean }[] = [
  { key: 'line_id', label: 'Line', sort: 'line_id' },
  { key: 'brand', label: 'Brand' },
  { key: 'score', label: 'Score', sort: 'score', numeric: true },
  { key: 'current', label: 'Current number' },
  { key: 'history', label: 'Numbers used', numeric: true },
  { key: 'runners', label: 'Runners', sort: 'runners', numeric: true },
  { key: 'customers', label: 'Customers', sort: 'customers', numeric: true },
  { key: 'town', label: 'Town', sort: 'town' },
  { key: 'value', label: 'Value (central)', sort: 'value', numeric: true },
  { key: 'active', label: 'Last active', sort: 'last_active' },
  { key: 'spark', label: 'Daily contacts' },
];

registerPage(
  '/',
  'Lines',
  async (root, params) => {
    const sort = params.sort ?? 'score';
    const order = params.order ?? (sort === 'line_id' || sort === 'town' ? 'asc' : 'desc');
    const q = new URLSearchParams({ sort, order });
    for (const k of ['q', 'town', 'min_score']) if (params[k]) q.set(k, params[k]);
    const [summary, data] = await Promise.all([
      api<CaseSummary>('GET', '/api/v1/case'),
      api<LinesResponse>('GET', `/api/v1/lines?${q}`),
    ]);

    const head = el('section', { class: 'case-head', 'aria-label': 'Case' },
      el('h1', {}, `Lines in case ${summary.case_id}`),
      el('p', { class: 'muted' },
        `${summary.events.toLocaleString('en-GB')} events, ${fmtDay(summary.first_utc)} to ${fmtDay(summary.last_utc)}; `,
        `${summary.lines} lines; total value ${fmtGbp(summary.value_gbp)}; `,
        el('a', { href: '#/safeguarding' }, `${summary.safeguarding} people to safeguard`), '.'),
    );

    const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter lines' });
    const text = el('input', { id: 'f-q', name: 'q', type: 'search', value: params.q ?? '', placeholder: 'Line, number or town' });
    const town = el('select', { id: 'f-town', name: 'town' }, el('option', { value: '' }, 'All towns'),
      ...data.towns.map((t) => el('option', { value: t, selected: t === params.town }, t)));
    const min = el('input', { id: 'f-min', name: 'min_score', type: 'number', min: 0, max: 1, step: 0.05, value: params.min_score ?? '' });
    form.append(
      el('label', { for: 'f-q' }, 'Find'), text,
      el('label', { for: 'f-town' }, 'Town'), town,
      el('label', { for: 'f-min' }, 'Minimum score'), min,
      el('button', { type: 'submit' }, 'Apply'),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = href('/', { sort, order, q: text.value.trim(), town: town.value, min_score: min.value });
    });

    const table = el('table', { class: 'data lines', 'aria-describedby': 'lines-caption' });
    table.append(el('caption', { id: 'lines-caption' }, `${data.total} lines, sorted by ${COLUMNS.find((c) => c.sort === sort)?.label ?? sort} (${order === 'asc' ? 'ascending' : 'descending'}). Select a column heading to sort.`));
    const tr = el('tr');
    for (const c of COLUMNS) {
      const th = el('th', { scope: 'col', class: c.numeric ? 'num' : undefined });
      if (c.sort) {
        const active = c.sort === sort;
        th.setAttribute('aria-sort', active ? (order === 'asc' ? 'ascending' : 'descending') : 'none');
        const next = active && order === 'desc' ? 'asc' : active ? 'desc' : c.sort === 'line_id' || c.sort === 'town' ? 'asc' : 'desc';
        th.append(el('a', { href: href('/', { ...params, sort: c.sort, order: next }), class: 'sort' }, c.label, active ? (order === 'asc' ? ' ▲' : ' ▼') : ''));
      } else th.append(c.label);
      tr.append(th);
    }
    table.append(el('thead', {}, tr));
    const tbody = el('tbody');
    for (const l of data.lines) {
      const row = el('tr', { 'data-line': l.line_id },
        el('th', { scope: 'row' }, el('a', { href: `#/lines/${encodeURIComponent(l.line_id)}` }, l.line_id)),
        el('td', {}, l.brand ?? '—'),
        el('td', { class: 'num' }, l.score.toFixed(2)),
        el('td', {}, el('a', { href: href('/search', { q: l.current_number ?? '' }) }, l.current_number ?? '—')),
        el('td', { class: 'num', title: l.numbers.map((n) => n.number).join(' → ') }, String(l.numbers.length)),
        el('td', { class: 'num' }, String(l.runner_count)),
        el('td', { class: 'num' }, l.customers.toLocaleString('en-GB')),
        el('td', {}, l.town ?? '—'),
        el('td', { class: 'num' }, fmtGbp(l.value_gbp)),
        el('td', {}, fmtDay(l.last_utc)),
        el('td', {}, sparkline(l.sparkline.values, `Daily contacts of ${l.line_id} from ${l.sparkline.first_day ?? 'start'}, peak ${Math.max(0, ...l.sparkline.values)}`)),
      );
      tbody.append(row);
    }
    if (data.lines.length === 0) {
      tbody.append(el('tr', {}, el('td', { colspan: COLUMNS.length }, 'No lines match. Clear the filters, or run `linesight analyse` on this case.')));
    }
    table.append(tbody);
    root.replaceChildren(head, form, el('div', { class: 'table-wrap' }, table));
  },
  { nav: true },
);
