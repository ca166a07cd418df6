// Network view: a link chart of a line, a number or the case. Nodes are coloured by role or
// by community; a node expands to its neighbours; the time window filters the events behind
// the links; the picture exports as PNG or SVG. Charts of normal size use sigma (WebGL);
// very large ones a Canvas 2D renderer (network/canvas-chart.ts), each loaded on demand.
import { api, el, href, ROLE_COLOUR, ROLE_LABEL } from '../shell.ts';
import type { Network } from '../types.ts';
import type { Chart } from './network/chart.ts';

/** Above this many numbers or links, the chart is drawn by the Canvas 2D renderer. */
const LARGE_NODES = 2000;
const LARGE_EDGES = 10_000;

function download(name: string, url: string): void {
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

/** Renders the network page. */
export async function render(root: HTMLElement, params: Record<string, string>): Promise<void> {
  const q = new URLSearchParams();
  for (const k of ['line', 'number', 'from', 'to', 'limit']) if (params[k]) q.set(k, params[k]);
  const t0 = performance.now();
  const large = (n: Network) => n.nodes.length > LARGE_NODES || n.edges.length > LARGE_EDGES;
  // Renderer code loads while the data travels. The large renderer is small; sigma (450 kB)
  // is loaded early only when the answer's size says the chart will be small, so that parsing
  // it never delays a large chart.
  let sigmaModule: Promise<typeof import('./network/sigma-chart.ts')> | undefined;
  const loadSigma = () => (sigmaModule ??= import('./network/sigma-chart.ts'));
  const [net, canvasModule] = await Promise.all([
    api<Network>('GET', `/api/v1/network?${q}`, undefined, (res) => {
      const bytes = Number(res.headers.get('content-length') ?? '0');
      if (bytes > 0 && bytes < 1_000_000) void loadSigma();
    }),
    import('./network/canvas-chart.ts'),
  ]);
  const tFetched = performance.now();
  let byCommunity = params.colour === 'community';
  const isLarge = large(net);

  const what = params.line ? `line ${params.line}` : params.number ? `number ${params.number}` : 'the case’s people';
  const from = el('input', { id: 'n-from', type: 'date', value: params.from ?? '' });
  const to = el('input', { id: 'n-to', type: 'date', value: params.to ?? '' });
  const community = el('input', { id: 'n-comm', type: 'checkbox', checked: byCommunity });
  const find = el('input', { id: 'n-find', type: 'search', list: 'n-nodes', placeholder: 'Number in the chart' });
  const nodesList = el('datalist', { id: 'n-nodes' });
  if (net.nodes.length <= 3000) for (const n of net.nodes) nodesList.append(el('option', { value: n.id }));
  const status = el('p', { role: 'status', class: 'muted', id: 'n-status' });
  const details = el('div', { class: 'node-details', 'aria-live': 'polite' }, el('p', { class: 'muted' }, 'Select a node (click it, or type its number) to see it and expand it.'));
  const expandBtn = el('button', { type: 'button', id: 'n-expand', disabled: true }, 'Expand selected node');
  const controls = el('form', { class: 'filters', 'aria-label': 'Chart controls' },
    el('label', { for: 'n-from' }, 'From'), from,
    el('label', { for: 'n-to' }, 'To'), to,
    el('button', { type: 'submit' }, 'Apply window'),
    el('span', { class: 'check' }, community, el('label', { for: 'n-comm' }, 'Colour by community')),
    el('label', { for: 'n-find' }, 'Select'), find, nodesList,
    expandBtn,
    el('button', { type: 'button', id: 'n-png' }, 'Export PNG'),
    el('button', { type: 'button', id: 'n-svg' }, 'Export SVG'),
  );
  const hint = el('p', { class: 'muted', id: 'n-hint' }, isLarge
    ? 'Drag to pan, scroll to zoom; with the chart focused, arrow keys pan, + and − zoom, 0 shows everything. Click a number to select it, double-click to expand it.'
    : 'Drag to pan, scroll to zoom. Click a number to select it, double-click to expand it.');
  const container = el('div', {
    class: 'link-chart', id: 'n-chart', role: 'img', 'aria-describedby': 'n-hint', tabindex: isLarge ? 0 : undefined,
    'aria-label': `Link chart of ${what}: ${net.nodes.length} numbers and ${net.edges.length} links`,
  });
  const legendBox = el('ul', { class: 'legend', id: 'n-legend' });
  const drawLegend = () => {
    legendBox.replaceChildren(...(byCommunity
      ? [el('li', {}, `${new Set(net.nodes.map((n) => n.community)).size} communities (Leiden), one colour each`)]
      : Object.entries(ROLE_LABEL).map(([k, label]) => el('li', {}, el('span', { class: 'swatch', style: `background:${ROLE_COLOUR[k]}`, 'aria-hidden': 'true' }), label))));
  };
  drawLegend();
  root.replaceChildren(
    el('h1', {}, `Network of ${what}`),
    el('p', { class: 'muted' }, net.truncated ? 'Only the most connected numbers are shown (limit reached). ' : '', 'Links are calls and texts in the window; a thicker link is more events.'),
    controls, legendBox,
    el('div', { class: 'network-layout' }, container, el('aside', { 'aria-label': 'Selected node' }, details)),
    hint, status,
  );

  const chart: Chart = isLarge
    ? new canvasModule.CanvasChart(container, net, byCommunity)
    : new (await loadSigma()).SigmaChart(container, net, byCommunity);
  const tBuilt = performance.now();
  // For the browser tests and the console: the chart behind the picture.
  (container as HTMLElement & { chart?: Chart }).chart = chart;
  void chart.drawn().then(() => {
    const ms = Math.round(performance.now() - t0);
    container.dataset.drawnMs = String(ms);
    // Where the time went, for the speed test's report.
    container.dataset.timings = JSON.stringify({
      renderer: isLarge ? 'canvas' : 'sigma', fetch_ms: Math.round(tFetched - t0), build_ms: Math.round(tBuilt - tFetched), frame_ms: Math.round(performance.now() - tBuilt),
    });
    container.dataset.ready = 'true';
    status.textContent = `${chart.order} numbers, ${chart.size} links; drawn after ${ms} ms.`;
    // The layout refines the starting positions once the chart is on screen.
    chart.layout(isLarge ? 4000 : 2500);
  });

  let selected: string | undefined;
  const select = (node: string) => {
    const a = chart.info(node);
    if (!a) {
      details.replaceChildren(el('p', {}, `${node} is not in the chart.`));
      return;
    }
    selected = node;
    chart.select(node);
    expandBtn.disabled = false;
    details.replaceChildren(
      el('h2', {}, node),
      el('p', {}, `${ROLE_LABEL[a.role] ?? a.role} · community ${a.community} · ${a.degree} links in the chart`),
      el('p', {}, el('a', { href: href('/search', { q: node }) }, 'History of this number'), ' · ',
        el('a', { href: href('/map', { number: node }) }, 'Its cells on the map')),
    );
  };
  const expand = async (node: string) => {
    const eq = new URLSearchParams({ number: node });
    if (params.from) eq.set('from', params.from);
    if (params.to) eq.set('to', params.to);
    status.textContent = `Expanding ${node}…`;
    const more = await api<Network>('GET', `/api/v1/network?${eq}`);
    const added = chart.merge(more, node);
    status.textContent = `Expanded ${node}: ${added} new numbers; ${chart.order} numbers, ${chart.size} links.`;
    container.dataset.expanded = String(Number(container.dataset.expanded ?? 0) + 1);
    chart.layout(1500);
  };
  chart.onClickNode(select);
  chart.onDoubleClickNode((node) => void expand(node));
  find.addEventListener('change', () => select(find.value.trim()));
  expandBtn.addEventListener('click', () => selected && void expand(selected));
  community.addEventListener('change', () => {
    byCommunity = community.checked;
    chart.setColourByCommunity(byCommunity);
    drawLegend();
  });
  controls.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = href('/network', { line: params.line, number: params.number, from: from.value, to: to.value, colour: byCommunity ? 'community' : undefined });
  });
  controls.querySelector('#n-png')?.addEventListener('click', () => {
    const url = chart.png();
    if (!url) return;
    download('linesight-network.png', url);
    container.dataset.pngBytes = String(url.length);
  });
  controls.querySelector('#n-svg')?.addEventListener('click', () => {
    const svg = chart.svg();
    if (!svg) return;
    download('linesight-network.svg', URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
    container.dataset.svgBytes = String(svg.length);
  });
  // Leaving the page stops the layout worker and frees the chart.
  const stop = () => {
    chart.kill();
    window.removeEventListener('hashchange', stop);
  };
  window.addEventListener('hashchange', stop);
}
