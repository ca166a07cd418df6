// Operations pages: login, cases and their setup, targets and warrants, the day-of-action
// plan (an address board by team and time, with the plan's own checks), outcomes, and the
// results dashboard. Everything goes through `api`, which the server checks (role and case
// membership); the pages only hide what the server would refuse anyway.
import { ApiError, api, el, registerPage, showError } from '../shell.ts';

interface Case {
  id: string;
  name: string;
  owning_force: string;
  partner_forces: string[];
  case_store: string | null;
  status: string;
}
interface Stored {
  id: string;
  parent_id?: string;
  created_at: string;
  created_by: string;
}
type Rec<T> = Stored & T;
interface Target {
  kind: string;
  label: string;
  notes: string;
  risks: { weapons: boolean; dogs: boolean; children_present: boolean; vulnerable_occupant: boolean };
}
interface Warrant {
  address_target_id: string;
  legal_basis: string;
  issuing_court: string;
  valid_from: string;
  valid_to: string;
  status: string;
}
interface Team {
  id: string;
  force: string;
  lead: string;
  size: number;
}
interface Assignment {
  address_target_id: string;
  team_id: string | null;
  strike_time: string | null;
  needs: { method_of_entry: string | null; dog_unit: boolean; safeguarding_officer: boolean };
}
interface Suite {
  id: string;
  name: string;
  capacity: number;
  arrests_allocated: number;
}
interface Plan {
  teams: Team[];
  assignments: Assignment[];
  custody_suites: Suite[];
}
interface PlanDoc {
  plan: Plan;
  version: number;
  updated_by: string;
  updated_at: string;
}
interface Check {
  code: string;
  subject: string;
  message: string;
}

const base = (id: string): string => `/api/v1/cases/${encodeURIComponent(id)}`;

function field(label: string, input: HTMLElement): HTMLElement {
  return el('label', { class: 'field' }, label, ' ', input);
}
function input(name: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return el('input', { name, ...attrs });
}
function select(name: string, options: string[]): HTMLSelectElement {
  return el('select', { name }, ...options.map((o) => el('option', { value: o }, o)));
}
function value(form: HTMLFormElement, name: string): string {
  const e = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  return e ? e.value.trim() : '';
}
function checked(form: HTMLFormElement, name: string): boolean {
  return (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
}
function iso(local: string): string {
  return new Date(local).toISOString();
}

/** A form that posts `body(form)` and re-renders on success, or shows the server's refusal. */
function form(title: string, fields: HTMLElement[], submit: (f: HTMLFormElement) => Promise<void>): HTMLFormElement {
  const status = el('p', { class: 'form-status', role: 'status' });
  const f = el('form', { class: 'card' }, el('h3', {}, title), ...fields, el('button', { type: 'submit' }, title), status);
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = '';
    try {
      await submit(f);
    } catch (e) {
      status.textContent = e instanceof ApiError ? `${e.message} (${e.status})` : String(e);
      status.className = 'form-status error';
    }
  });
  return f;
}

function caseNav(id: string, here: string): HTMLElement {
  const links: [string, string][] = [
    ['', 'Setup'],
    ['/targets', 'Targets and warrants'],
    ['/plan', 'Plan'],
    ['/outcomes', 'Outcomes'],
    ['/dashboard', 'Dashboard'],
  ];
  return el(
    'nav',
    { class: 'filters', 'aria-label': 'Case' },
    ...links.map(([p, t]) => el('a', { href: `#/cases/${id}${p}`, 'aria-current': p === here ? 'page' : undefined }, t)),
  );
}

function table(caption: string, head: string[], rows: (string | Node)[][]): HTMLElement {
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { class: 'data' },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
    ),
  );
}

registerPage(
  '/login',
  'Log in',
  async (root) => {
    const status = el('p', { class: 'error', role: 'alert', hidden: true });
    const f = el(
      'form',
      { class: 'card login' },
      el('h1', {}, 'Log in to linesight'),
      field('User name', input('name', { autocomplete: 'username', required: true })),
      field('Password', input('password', { type: 'password', autocomplete: 'current-password', required: true })),
      el('button', { type: 'submit' }, 'Log in'),
      status,
    );
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      status.hidden = true;
      try {
        await api('POST', '/api/v1/auth/login', { name: value(f, 'name'), password: (f.elements.namedItem('password') as HTMLInputElement).value });
        location.hash = '#/cases';
      } catch (e) {
        status.textContent = e instanceof ApiError ? e.message : String(e);
        status.hidden = false;
      }
    });
    root.replaceChildren(f);
  },
  { nav: false },
);

registerPage(
  '/cases',
  'Cases',
  async (root) => {
    const data = await api<{ cases: { case: Case; my_role: string }[] }>('GET', '/api/v1/cases');
    const rows = data.cases.map(({ case: c, my_role }) => [el('a', { href: `#/cases/${c.id}` }, c.name), c.owning_force, c.status, my_role]);
    const create = form(
      'Open a case',
      [field('Operation name', input('name', { required: true })), field('Owning force', input('force', { required: true })), field('Partner forces (comma-separated)', input('partners'))],
      async (f) => {
        const partner_forces = value(f, 'partners').split(',').map((s) => s.trim()).filter((s) => s);
        const c = await api<Case>('POST', '/api/v1/cases', { name: value(f, 'name'), owning_force: value(f, 'force'), partner_forces });
        location.hash = `#/cases/${c.id}`;
      },
    );
    root.replaceChildren(
      el('h1', {}, 'Cases'),
      el('p', { class: 'muted' }, 'Only the cases you are a member of are listed.'),
      table('Your cases', ['Operation', 'Owning force', 'Status', 'Your role'], rows),
      create,
    );
  },
  { nav: true },
);

registerPage('/cases/:id', 'Case setup', async (root, { id }) => {
  const [{ case: c, my_role }, { members }] = await Promise.all([
    api<{ case: Case; my_role: string }>('GET', base(id)),
    api<{ members: { user: string; role: string }[] }>('GET', `${base(id)}/members`),
  ]);
  const roles = ['analyst', 'investigator', 'operation_lead', 'safeguarding_lead', 'disclosure_officer', 'auditor', 'administrator'];
  root.replaceChildren(
    el('h1', {}, c.name),
    caseNav(id, ''),
    el('p', {}, `Owned by ${c.owning_force}; partners: ${c.partner_forces.join(', ') || 'none'}. Status: ${c.status}. Your role: ${my_role}.`),
    table('Members', ['User', 'Role'], members.map((m) => [m.user, m.role])),
    form('Add a member', [field('User', input('user', { required: true })), field('Role', select('role', roles))], async (f) => {
      await api('POST', `${base(id)}/members`, { user: value(f, 'user'), role: value(f, 'role') });
      location.reload();
    }),
  );
});

function risks(t: Target): string {
  const r = t.risks;
  return [r.weapons && 'weapons', r.dogs && 'dogs', r.children_present && 'children present', r.vulnerable_occupant && 'vulnerable occupant'].filter((x) => x).join(', ') || '—';
}

registerPage('/cases/:id/targets', 'Targets', async (root, { id }) => {
  const [{ items: targets }, warrants] = await Promise.all([
    api<{ items: Rec<Target>[] }>('GET', `${base(id)}/targets?reason=case+work`),
    api<{ items: Rec<Warrant>[] }>('GET', `${base(id)}/warrants?reason=case+work`).catch(() => ({ items: [] as Rec<Warrant>[] })),
  ]);
  const label = new Map(targets.map((t) => [t.id, t.label]));
  const addresses = targets.filter((t) => t.kind === 'address');
  const addTarget = form(
    'Add a target',
    [
      field('Kind', select('kind', ['nominal', 'number', 'vehicle', 'address'])),
      field('Name, number, registration or address', input('label', { required: true })),
      ...['weapons', 'dogs', 'children_present', 'vulnerable_occupant'].map((r) => el('label', { class: 'check' }, input(r, { type: 'checkbox' }), ` ${r.replace('_', ' ')}`)),
    ],
    async (f) => {
      const r = { weapons: checked(f, 'weapons'), dogs: checked(f, 'dogs'), children_present: checked(f, 'children_present'), vulnerable_occupant: checked(f, 'vulnerable_occupant') };
      await api('POST', `${base(id)}/targets`, { kind: value(f, 'kind'), label: value(f, 'label'), risks: r });
      location.reload();
    },
  );
  const addrSelect = el('select', { name: 'address' }, ...addresses.map((a) => el('option', { value: a.id }, a.label)));
  const addWarrant = form(
    'Record a warrant',
    [
      field('Address', addrSelect),
      field('Legal basis', input('basis', { value: 's.23 Misuse of Drugs Act 1971', required: true })),
      field('Issuing court', input('court', { required: true })),
      field('Valid from', input('from', { type: 'datetime-local', required: true })),
      field('Valid to', input('to', { type: 'datetime-local', required: true })),
    ],
    async (f) => {
      await api('POST', `${base(id)}/warrants`, {
        address_target_id: value(f, 'address'),
        legal_basis: value(f, 'basis'),
        issuing_court: value(f, 'court'),
        valid_from: iso(value(f, 'from')),
        valid_to: iso(value(f, 'to')),
        status: 'issued',
      });
      location.reload();
    },
  );
  root.replaceChildren(
    el('h1', {}, 'Targets and warrants'),
    caseNav(id, '/targets'),
    table('Targets', ['Kind', 'Target', 'Risks', 'Id'], targets.map((t) => [t.kind, t.label, risks(t), el('code', {}, t.id)])),
    table('Warrants', ['Address', 'Legal basis', 'Court', 'Valid from', 'Valid to', 'Status'], warrants.items.map((w) => [label.get(w.address_target_id) ?? w.address_target_id, w.legal_basis, w.issuing_court, w.valid_from, w.valid_to, w.status])),
    addTarget,
    addWarrant,
  );
});

registerPage('/cases/:id/plan', 'Plan', async (root, { id }) => {
  const [doc, checks, { items: targets }] = await Promise.all([
    api<PlanDoc>('GET', `${base(id)}/plan`),
    api<{ ready: boolean; findings: Check[] }>('GET', `${base(id)}/plan/checks`),
    api<{ items: Rec<Target>[] }>('GET', `${base(id)}/targets?reason=planning`),
  ]);
  const plan = doc.plan;
  const label = new Map(targets.map((t) => [t.id, t.label]));
  const save = async (next: Plan): Promise<void> => {
    await api('PUT', `${base(id)}/plan`, { version: doc.version, plan: next });
    location.reload();
  };
  // The board: one column per team, addresses in strike-time order.
  const board = el(
    'div',
    { class: 'plan-board', style: 'display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:0.8rem' },
    ...[...plan.teams, { id: '', force: '', lead: '', size: 0 }].map((team) => {
      const mine = plan.assignments
        .filter((a) => (a.team_id ?? '') === team.id)
        .sort((a, b) => (a.strike_time ?? '').localeCompare(b.strike_time ?? ''));
      return el(
        'section',
        { class: 'card', 'data-team': team.id || 'unassigned' },
        el('h3', {}, team.id ? `${team.id}: ${team.force}, lead ${team.lead}, ${team.size} officers` : 'No team'),
        el(
          'ol',
          {},
          ...mine.map((a) =>
            el(
              'li',
              {},
              `${a.strike_time ? new Date(a.strike_time).toISOString().slice(11, 16) : '--:--'} ${label.get(a.address_target_id) ?? a.address_target_id}`,
              a.needs.safeguarding_officer ? ' · safeguarding' : '',
              a.needs.dog_unit ? ' · dogs' : '',
              a.needs.method_of_entry ? ` · ${a.needs.method_of_entry}` : '',
            ),
          ),
        ),
      );
    }),
  );
  const addresses = targets.filter((t) => t.kind === 'address');
  const addTeam = form('Add a search team', [field('Id', input('id', { required: true })), field('Force', input('force', { required: true })), field('Lead', input('lead', { required: true })), field('Size', input('size', { type: 'number', min: '1', value: '6' }))], async (f) =>
    save({ ...plan, teams: [...plan.teams, { id: value(f, 'id'), force: value(f, 'force'), lead: value(f, 'lead'), size: Number(value(f, 'size')) }] }),
  );
  const assign = form(
    'Assign an address',
    [
      field('Address', el('select', { name: 'address' }, ...addresses.map((a) => el('option', { value: a.id }, a.label)))),
      field('Team', el('select', { name: 'team' }, ...plan.teams.map((t) => el('option', { value: t.id }, t.id)))),
      field('Strike time', input('strike', { type: 'datetime-local', required: true })),
      field('Method of entry', input('entry')),
      el('label', { class: 'check' }, input('dogs', { type: 'checkbox' }), ' dog unit'),
      el('label', { class: 'check' }, input('safeguarding', { type: 'checkbox' }), ' safeguarding officer'),
    ],
    async (f) => {
      const a: Assignment = {
        address_target_id: value(f, 'address'),
        team_id: value(f, 'team') || null,
        strike_time: iso(value(f, 'strike')),
        needs: { method_of_entry: value(f, 'entry') || null, dog_unit: checked(f, 'dogs'), safeguarding_officer: checked(f, 'safeguarding') },
      };
      await save({ ...plan, assignments: [...plan.assignments.filter((x) => x.address_target_id !== a.address_target_id), a] });
    },
  );
  const addSuite = form('Add a custody suite', [field('Id', input('id', { required: true })), field('Name', input('name', { required: true })), field('Capacity', input('capacity', { type: 'number', min: '0', value: '10' })), field('Arrests allocated', input('allocated', { type: 'number', min: '0', value: '0' }))], async (f) =>
    save({ ...plan, custody_suites: [...plan.custody_suites.filter((s) => s.id !== value(f, 'id')), { id: value(f, 'id'), name: value(f, 'name'), capacity: Number(value(f, 'capacity')), arrests_allocated: Number(value(f, 'allocated')) }] }),
  );
  root.replaceChildren(
    el('h1', {}, 'Day-of-action plan'),
    caseNav(id, '/plan'),
    el('p', { class: 'muted' }, `Version ${doc.version}, saved by ${doc.updated_by} at ${doc.updated_at}. If someone saves first, your save is refused: reload and apply your change again.`),
    checks.ready
      ? el('p', { class: 'notice', 'data-plan-ready': 'true' }, 'The plan passes every check.')
      : el('div', { class: 'error', role: 'alert', 'data-plan-ready': 'false' }, el('strong', {}, 'The plan needs attention:'), el('ul', { class: 'reasons' }, ...checks.findings.map((c) => el('li', { 'data-code': c.code }, c.message)))),
    board,
    table('Custody suites', ['Suite', 'Capacity', 'Arrests allocated'], plan.custody_suites.map((s) => [s.name, String(s.capacity), String(s.arrests_allocated)])),
    addTeam,
    assign,
    addSuite,
  );
});

registerPage('/cases/:id/outcomes', 'Outcomes', async (root, { id }) => {
  const get = <T,>(p: string) => api<{ items: Rec<T>[] }>('GET', `${base(id)}/${p}?reason=recording+outcomes`).then((r) => r.items).catch(() => [] as Rec<T>[]);
  const [targets, searches, arrests, exhibits, referrals] = await Promise.all([
    get<Target>('targets'),
    get<{ address_target_id: string; result: string }>('searches'),
    get<{ person: string; offence: string; custody_suite: string }>('arrests'),
    get<{ reference: string; seized: { type: string }; seized_by: string }>('exhibits'),
    get<{ subject: string; name: string }>('referrals'),
  ]);
  const now = new Date().toISOString();
  const draft = el('pre', { class: 'card', 'aria-live': 'polite' });
  root.replaceChildren(
    el('h1', {}, 'Outcomes'),
    caseNav(id, '/outcomes'),
    table('Properties searched', ['Address', 'Result'], searches.map((s) => [targets.find((t) => t.id === s.address_target_id)?.label ?? s.address_target_id, s.result])),
    table('Arrests', ['Person', 'Offence', 'Custody suite'], arrests.map((a) => [a.person, a.offence, a.custody_suite])),
    table('Exhibits', ['Reference', 'Type', 'Seized by', 'Id'], exhibits.map((e) => [e.reference, e.seized.type, e.seized_by, el('code', {}, e.id)])),
    table(
      'Safeguarding referrals',
      ['Name', 'Subject', 'NRM'],
      referrals.map((r) => {
        const b = el('button', { type: 'button' }, 'NRM draft');
        b.addEventListener('click', async () => {
          draft.textContent = (await api<{ draft: string }>('GET', `${base(id)}/referrals/${r.id}/nrm-draft`)).draft;
        });
        return [r.name, r.subject, b];
      }),
    ),
    draft,
    form(
      'Record a property searched',
      [field('Address', el('select', { name: 'address' }, ...targets.filter((t) => t.kind === 'address').map((t) => el('option', { value: t.id }, t.label)))), field('Result', input('result'))],
      async (f) => {
        await api('POST', `${base(id)}/searches`, { address_target_id: value(f, 'address'), entered_at: now, result: value(f, 'result') });
        location.reload();
      },
    ),
    form('Record an arrest', [field('Person', input('person', { required: true })), field('Offence', input('offence', { required: true })), field('Custody suite', input('suite', { required: true }))], async (f) => {
      await api('POST', `${base(id)}/arrests`, { person: value(f, 'person'), offence: value(f, 'offence'), custody_suite: value(f, 'suite'), arrested_at: now });
      location.reload();
    }),
    form(
      'Record an exhibit',
      [
        field('Reference', input('reference', { required: true })),
        field('Type', select('type', ['drugs', 'cash', 'weapon', 'imitation_firearm', 'phone'])),
        field('Drug / description / numbers', input('what')),
        field('Wraps', input('wraps', { type: 'number', min: '0', value: '0' })),
        field('Grams', input('grams', { type: 'number', min: '0', step: '0.1', value: '0' })),
        field('Cash (£)', input('pounds', { type: 'number', min: '0', step: '0.01', value: '0' })),
        field('Seized by', input('by', { required: true })),
      ],
      async (f) => {
        const t = value(f, 'type');
        const what = value(f, 'what');
        const seized =
          t === 'drugs' ? { type: t, drug: what, wraps: Number(value(f, 'wraps')), weight_grams: Number(value(f, 'grams')) }
          : t === 'cash' ? { type: t, pence: Math.round(Number(value(f, 'pounds')) * 100) }
          : t === 'phone' ? { type: t, numbers: what.split(',').map((s) => s.trim()).filter((s) => s) }
          : { type: t, description: what };
        await api('POST', `${base(id)}/exhibits`, { reference: value(f, 'reference'), seized, seized_by: value(f, 'by'), seized_at: now });
        location.reload();
      },
    ),
    form('Record a custody movement', [field('Exhibit id', input('exhibit', { required: true })), field('Now held by', input('holder', { required: true })), field('Where', input('location', { required: true })), field('Why', input('purpose'))], async (f) => {
      await api('POST', `${base(id)}/exhibits/${encodeURIComponent(value(f, 'exhibit'))}/movements`, { holder: value(f, 'holder'), at: new Date().toISOString(), location: value(f, 'location'), purpose: value(f, 'purpose') });
      location.reload();
    }),
    form(
      'Record a safeguarding referral',
      [field('Subject', select('subject', ['child', 'vulnerable_adult'])), field('Name', input('name', { required: true })), field('Age', input('age', { type: 'number', min: '0' })), field('What was found', input('circumstances', { required: true }))],
      async (f) => {
        const age = value(f, 'age');
        await api('POST', `${base(id)}/referrals`, { subject: value(f, 'subject'), name: value(f, 'name'), age: age ? Number(age) : null, circumstances: value(f, 'circumstances') });
        location.reload();
      },
    ),
  );
});

registerPage('/cases/:id/dashboard', 'Results', async (root, { id }) => {
  try {
    const d = await api<Record<string, number | Record<string, number>>>('GET', `${base(id)}/dashboard`);
    const seizures = (d.seizures_by_type ?? {}) as Record<string, number>;
    const cash = ((d.cash_pence as number) / 100).toLocaleString('en-GB', { style: 'currency', currency: 'GBP' });
    const rows: [string, string][] = [
      ['Properties searched', String(d.properties_searched)],
      ['Arrests', String(d.arrests)],
      ...Object.entries(seizures).map(([k, v]): [string, string] => [`Seizures: ${k.replace('_', ' ')}`, String(v)]),
      ['Drug wraps', String(d.drug_wraps)],
      ['Drugs (g)', String(d.drug_grams)],
      ['Cash', cash],
      ['Lines closed', String(d.lines_closed)],
      ['People safeguarded', String(d.people_safeguarded)],
    ];
    root.replaceChildren(
      el('h1', {}, 'Results'),
      caseNav(id, '/dashboard'),
      el('p', { class: 'muted' }, 'Computed from the records on every load; nothing here is typed in.'),
      el('dl', { class: 'card dashboard' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-figure': k }, v)])),
    );
  } catch (e) {
    showError(root, e);
  }
});
