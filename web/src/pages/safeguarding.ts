// Safeguarding queue: children drawn into running lines and residents whose homes were
// taken over. Everyone here is written about as a victim, not a suspect.
import { api, el, fmtTime, href, registerPage } from '../shell.ts';
import type { SafeguardingItem } from '../types.ts';

registerPage(
  '/safeguarding',
  'Safeguarding',
  async (root) => {
    const data = await api<{ note: string; items: SafeguardingItem[] }>('GET', '/api/v1/safeguarding');
    const children = data.items.filter((i) => i.category === 'child_at_risk');
    const residents = data.items.filter((i) => i.category === 'cuckooed_resident');
    const card = (i: SafeguardingItem) =>
      el('li', { class: 'card safeguard', 'data-category': i.category },
        el('h3', {}, i.category === 'child_at_risk' ? 'Possible child at risk of criminal exploitation' : 'Resident whose home may have been taken over'),
        el('p', {}, i.summary),
        el('dl', {},
          el('dt', {}, 'Phone number'), el('dd', {}, el('a', { href: href('/search', { q: i.number }) }, i.number)),
          el('dt', {}, 'Line exploiting them'), el('dd', {}, i.line_id ? el('a', { href: `#/lines/${encodeURIComponent(i.line_id)}` }, i.line_id) : 'not known'),
          el('dt', {}, 'Age (from subscriber check)'), el('dd', {}, i.age === null ? 'not known' : String(i.age)),
          ...(i.place ? [el('dt', {}, 'Place (cell area)'), el('dd', {}, el('a', { href: href('/map', { number: i.number }) }, i.place))] : []),
          el('dt', {}, 'When'), el('dd', {}, `${fmtTime(i.at_utc)}${i.until_utc ? ` to ${fmtTime(i.until_utc)}` : ''}`),
          el('dt', {}, 'Why this person is listed'), el('dd', {}, el('ul', {}, ...i.reasons.map((r) => el('li', {}, r)))),
        ),
      );
    root.replaceChildren(
      el('h1', {}, 'Safeguarding queue'),
      el('p', { class: 'notice', role: 'note' }, `${data.note} Refer children and vulnerable adults through the safeguarding lead (and the National Referral Mechanism) before any enforcement action that could reach them.`),
      el('h2', {}, `Children at risk (${children.length})`),
      children.length ? el('ol', { class: 'cards' }, ...children.map(card)) : el('p', { class: 'muted' }, 'No possible child runners found in this case yet.'),
      el('h2', {}, `Residents whose homes may be cuckooed (${residents.length})`),
      residents.length ? el('ol', { class: 'cards' }, ...residents.map(card)) : el('p', { class: 'muted' }, 'No cuckooed addresses found in this case yet.'),
    );
  },
  { nav: true },
);
