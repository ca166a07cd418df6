// Line page: number history, timeline of flares, orders, call-backs and changes,
// customers over time, people and roles with reasons, valuation, and paged evidence.
import { dailyChart, legend } from '../charts.ts';
import { api, el, fmtDay, fmtGbp, fmtTime, href, registerPage, ROLE_LABEL } from '../shell.ts';
import type { EvidencePage, FindingBrief, LineDetail } from '../types.ts';

const CHANGE_KINDS: Record<string, { label: string; colour: string }> = {
  successor: { label: 'New number', colour: '#c0392b' },
  handset_swap: { label: 'New handset (IMEI)', colour: '#6c3483' },
  sim_swap: { label: 'New SIM (IMSI)', colour: '#1f7a8c' },
  burner_successor: { label: 'Dropped burner replaced', colour: '#7d6608' },
  deal_line: { label: 'Found to be a deal line', colour: '#555' },
  trip: { label: 'Runner trip', colour: '#d68910' },
};

function section(id: string, title: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', { 'aria-labelledby': id, class: 'card' }, el('h2', { id }, title), ...children);
}

function short(sha: string | null): string {
  return sha ? sha.slice(0, 10) + '…' : '—';
}

function timelineItem(f: FindingBrief): HTMLElement {
  const kind = CHANGE_KINDS[f.kind]?.label ?? f.kind;
  const change = f.old || f.new ? ` ${f.old ?? '?'} → ${f.new ?? '?'}` : '';
  return el('li', { 'data-kind': f.kind },
    el('time', { datetime: f.at_utc ?? '' }, fmtTime(f.at_utc)), ' ',
    el('strong', {}, kind), change, ' — ', f.explanation,
    ' ', el('span', { class: 'muted' }, `(${f.finding_id}, ${f.evidence_count} records)`));
}

async function renderEvidence(box: HTMLElement, lineId: string, page: number): Promise<void> {
  const data = await api<EvidencePage>('GET', `/api/v1/lines/${encodeURIComponent(lineId)}/evidence?page=${page}&page_size=25`);
  const pages = Math.max(1, Math.ceil(data.total / data.page_size));
  const table = el('table', { class: 'data evidence' },
    el('caption', {}, `Events ${data.total === 0 ? 0 : data.page * data.page_size + 1}–${Math.min(data.total, (data.page + 1) * data.page_size)} of ${data.total.toLocaleString('en-GB')}, oldest first. Provenance is the operator file's SHA-256 and row.`),
    el('thead', {}, el('tr', {},
      ...['Time (UTC)', 'Kind', 'From', 'To', 'Seconds', 'From cell', 'To cell', 'From IMEI', 'Source A (file, row)', 'Source B (file, row)']
        .map((h) => el('th', { scope: 'col' }, h)))),
  );
  const tbody = el('tbody');
  for (const r of data.rows) {
    tbody.append(el('tr', { 'data-event': r.event_id },
      el('td', {}, fmtTime(r.start_utc)),
      el('td', {}, r.kind),
      el('td', {}, el('a', { href: href('/search', { q: r.a_number }) }, r.a_number)),
      el('td', {}, r.b_number ? el('a', { href: href('/search', { q: r.b_number }) }, r.b_number) : '—'),
      el('td', { class: 'num' }, String(r.duration_s)),
      el('td', {}, r.a.cell ?? '—'),
      el('td', {}, r.b.cell ?? '—'),
      el('td', {}, r.a.imei ?? '—'),
      el('td', { title: r.a.src_sha256 ?? '' }, r.a.src_sha256 ? `${short(r.a.src_sha256)} row ${r.a.src_row}` : '—'),
      el('td', { title: r.b.src_sha256 ?? '' }, r.b.src_sha256 ? `${short(r.b.src_sha256)} row ${r.b.src_row}` : '—'),
    ));
  }
  table.append(tbody);
  const prev = el('button', { type: 'button', disabled: data.page === 0 }, '← Earlier');
  const next = el('button', { type: 'button', disabled: data.page + 1 >= pages }, 'Later →');
  const status = el('span', { role: 'status' }, `Page ${data.page + 1} of ${pages}`);
  prev.addEventListener('click', () => void renderEvidence(box, lineId, data.page - 1).then(() => box.querySelector('button')?.focus()));
  next.addEventListener('click', () => void renderEvidence(box, lineId, data.page + 1).then(() => (box.querySelectorAll('button')[1] as HTMLElement | undefined)?.focus()));
  box.replaceChildren(el('div', { class: 'pager' }, prev, status, next), el('div', { class: 'table-wrap' }, table));
}

registerPage('/lines/:id', 'Line', async (root, params) => {
  const l = await api<LineDetail>('GET', `/api/v1/lines/${encodeURIComponent(params.id)}`);
  const days = l.days.map((d) => d.day);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const changes = l.timeline.filter((f) => f.kind !== 'flare');
  const flares = l.timeline.filter((f) => f.kind === 'flare');
  const markers = changes
    .filter((f) => f.at_utc && dayIndex.has(f.at_utc.slice(0, 10)) && f.kind !== 'trip')
    .map((f) => ({ index: dayIndex.get(f.at_utc!.slice(0, 10))!, label: `${CHANGE_KINDS[f.kind]?.label ?? f.kind} ${fmtDay(f.at_utc)}`, colour: CHANGE_KINDS[f.kind]?.colour ?? '#333' }));

  const head = el('header', { class: 'line-head' },
    el('h1', {}, `Line ${l.line_id}`, l.brand ? ` “${l.brand}”` : ''),
    el('p', {},
      `Current number ${l.current_number ?? '—'} · town ${l.town ?? 'not known'} · score ${l.score.toFixed(2)} · value ${fmtGbp(l.value_gbp)} · `,
      `${l.customers.toLocaleString('en-GB')} customers · active ${fmtDay(l.first_utc)} to ${fmtDay(l.last_utc)}`),
    el('p', { class: 'actions' },
      el('a', { class: 'button', href: href('/network', { line: l.line_id }) }, 'Network of this line'), ' ',
      el('a', { class: 'button', href: href('/map', { line: l.line_id }) }, 'Map of this line')),
  );

  const history = el('table', { class: 'data' },
    el('caption', {}, 'The numbers this line has used, oldest first'),
    el('thead', {}, el('tr', {}, ...['Number', 'First used', 'Last used', 'Why it belongs to the line'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...l.number_history.map((n) => el('tr', {},
      el('th', { scope: 'row' }, el('a', { href: href('/search', { q: n.number }) }, n.number)),
      el('td', {}, fmtTime(n.first_utc)), el('td', {}, fmtTime(n.last_utc)), el('td', {}, n.joined_by)))),
  );

  const totals = l.days.reduce((a, d) => ({ o: a.o + d.orders, c: a.c + d.callbacks, f: a.f + d.flares }), { o: 0, c: 0, f: 0 });
  const timelineChart = dailyChart(days, [
    { label: 'Orders (inbound contacts)', values: l.days.map((d) => d.orders), colour: '#85c1e9', kind: 'bar' },
    { label: 'Call-backs', values: l.days.map((d) => d.callbacks), colour: '#1a5276', kind: 'line' },
    { label: 'Flares', values: l.days.map((d) => d.flares * 10), colour: '#c0392b', kind: 'line' },
  ], markers, `Daily activity of line ${l.line_id}: ${totals.o} orders, ${totals.c} call-backs and ${totals.f} flares over ${days.length} days; ${changes.length} changes marked.`);
  const timeline = section('tl-h', 'Timeline',
    legend([
      { label: 'Orders (inbound calls and texts) per day', colour: '#85c1e9' },
      { label: 'Call-backs per day (within 15 minutes of an order)', colour: '#1a5276' },
      { label: 'Flares per day (×10)', colour: '#c0392b' },
      ...Object.entries(CHANGE_KINDS).filter(([k]) => k !== 'trip').map(([, v]) => ({ label: `${v.label} (dashed line)`, colour: v.colour })),
    ]),
    timelineChart,
    el('h3', {}, `Changes and trips (${changes.length})`),
    changes.length ? el('ol', { class: 'timeline' }, ...changes.map(timelineItem)) : el('p', { class: 'muted' }, 'No number, handset or SIM changes found.'),
    el('details', {}, el('summary', {}, `Flares (${flares.length})`), el('ol', { class: 'timeline' }, ...flares.slice(0, 500).map(timelineItem))),
  );

  const customers = section('cu-h', 'Customers over time',
    legend([{ label: 'Customers in contact that day', colour: '#5d6d7e' }, { label: 'Distinct customers so far', colour: '#117a65' }]),
    dailyChart(days, [
      { label: 'Customers that day', values: l.days.map((d) => d.customers), colour: '#aeb6bf', kind: 'bar' },
      { label: 'Customers so far', values: l.days.map((d) => d.customers_total), colour: '#117a65', kind: 'line' },
    ], [], `Customers of line ${l.line_id}: ${l.days.at(-1)?.customers_total ?? 0} distinct over the period, at most ${Math.max(0, ...l.days.map((d) => d.customers))} in one day.`),
  );

  const people = section('pp-h', 'People and roles',
    el('p', { class: 'muted' }, 'Runners are often children or vulnerable adults under coercion, and cuckooed residents are victims: see the safeguarding queue before any action. ',
      `${l.customer_findings} customers are found by the analysis and counted above, not listed.`),
    l.people.length === 0 ? el('p', {}, 'No roles yet.') : el('table', { class: 'data people' },
      el('caption', {}, 'Each person with the reasons the analysis gives'),
      el('thead', {}, el('tr', {}, ...['Number', 'Role', 'Confidence', 'Reasons'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...l.people.map((p) => el('tr', { 'data-role': p.role },
        el('th', { scope: 'row' }, el('a', { href: href('/search', { q: p.number }) }, p.number)),
        el('td', {}, ROLE_LABEL[p.role] ?? p.role),
        el('td', { class: 'num' }, p.score === null ? '—' : p.score.toFixed(2)),
        el('td', {}, el('ul', { class: 'reasons' }, ...p.reasons.map((r) => el('li', {}, r)))))))),
  );

  const v = l.valuation;
  const valuation = section('va-h', 'Valuation',
    v ? el('div', {},
      el('p', {}, v.explanation),
      el('p', { class: 'muted' }, `${v.potential_transactions} potential and ${v.confirmed_transactions} confirmed transactions over ${v.active_days} active days. Assumptions version ${v.assumptions_version} (SHA-256 ${v.assumptions_sha256.slice(0, 12)}…).`),
      el('table', { class: 'data' },
        el('caption', {}, 'The value under each set of assumptions'),
        el('thead', {}, el('tr', {}, ...['Assumptions', 'Average deal (£)', 'Potential counted as sales', 'Value'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...v.cases.map((c) => el('tr', {},
          el('th', { scope: 'row' }, c.label), el('td', { class: 'num' }, fmtGbp(c.deal_value_gbp)),
          el('td', { class: 'num' }, `${Math.round(c.potential_conversion * 100)}%`), el('td', { class: 'num' }, fmtGbp(c.value_gbp))))))) :
      el('p', { class: 'muted' }, 'Not valued yet: the analysis has written no valuation for this line.'),
  );

  const evidenceBox = el('div', { id: 'evidence' });
  const evidence = section('ev-h', 'Evidence: the records behind this line', evidenceBox);
  root.replaceChildren(head,
    section('nh-h', 'Number history', el('div', { class: 'table-wrap' }, history)),
    timeline, customers, people, valuation, evidence);
  await renderEvidence(evidenceBox, l.line_id, 0);
});
