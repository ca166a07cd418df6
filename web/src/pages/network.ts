// Network view: a WebGL link chart (sigma + graphology) of a line, a number or the case.
// Nodes are coloured by role or by community; a node expands to its neighbours; the
// time window filters the events behind the edges; the picture exports as PNG or SVG.
import Graph from 'graphology';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import { inferSettings } from 'graphology-layout-forceatlas2';
import Sigma from 'sigma';
import { layerPlain, pathLine } from 'sigma/rendering';
import { api, el, href, ROLE_COLOUR, ROLE_LABEL } from '../shell.ts';
import type { Network } from '../types.ts';

/** Twelve distinct community colours; communities beyond them repeat the palette. */
const COMMUNITY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];

interface State {
  graph: Graph;
  renderer?: Sigma;
  layout?: FA2Layout;
  byCommunity: boolean;
  selected?: string;
}

function nodeColour(attrs: Record<string, unknown>, byCommunity: boolean): string {
  if (byCommunity) return COMMUNITY[Number(attrs.community ?? 0) % COMMUNITY.length];
  return ROLE_COLOUR[String(attrs.role)] ?? ROLE_COLOUR.contact;
}

/** Adds a network answer to the graph; new nodes start near `around` (or on a circle per community). */
function merge(st: State, net: Network, around?: { x: number; y: number }): number {
  const g = st.graph;
  let added = 0;
  const n = Math.max(1, net.nodes.length);
  const communities = Math.max(1, ...net.nodes.map((x) => x.community + 1));
  // Thin links on big charts: each pixel of a link costs time where WebGL runs on the CPU.
  const big = g.order + net.nodes.length > 2000;
  // An expansion's communities come from its own detection: number them after the chart's.
  let offset = 0;
  if (around) g.forEachNode((_k, a) => (offset = Math.max(offset, Number(a.community) + 1)));
  net.nodes.forEach((node, i) => {
    if (g.hasNode(node.id)) return;
    added++;
    let x: number;
    let y: number;
    if (around) {
      const a = (2 * Math.PI * i) / n;
      x = around.x + Math.cos(a) * (1 + Math.random());
      y = around.y + Math.sin(a) * (1 + Math.random());
    } else {
      // Communities start on a ring, their members scattered around each centre.
      const a = (2 * Math.PI * node.community) / communities;
      const r = Math.sqrt(communities) * 20;
      x = Math.cos(a) * r + (Math.random() - 0.5) * 20;
      y = Math.sin(a) * r + (Math.random() - 0.5) * 20;
    }
    const attrs = {
      x, y,
      label: node.id,
      role: node.role,
      community: node.community + offset,
      // Big charts get smaller nodes so that communities stay readable.
      size: (Math.min(14, 3 + Math.log2(1 + node.events)) + (node.center ? 3 : 0)) * (n > 1000 ? 0.35 : 1),
    };
    g.addNode(node.id, { ...attrs, color: nodeColour(attrs, st.byCommunity) });
  });
  for (const e of net.edges) {
    if (!g.hasNode(e.source) || !g.hasNode(e.target) || g.hasEdge(e.source, e.target)) continue;
    g.addEdge(e.source, e.target, {
      size: big ? 0.5 : Math.min(6, 0.5 + Math.log2(1 + e.events) / 2),
      color: '#c8ccd0',
      weight: e.events,
    });
  }
  return added;
}

function recolour(st: State): void {
  st.graph.forEachNode((key, attrs) => st.graph.setNodeAttribute(key, 'color', nodeColour(attrs, st.byCommunity)));
}

function runLayout(st: State, ms: number): void {
  st.layout?.kill();
  if (st.graph.order < 2) return;
  const settings = { ...inferSettings(st.graph), barnesHutOptimize: st.graph.order > 500 };
  st.layout = new FA2Layout(st.graph, { settings });
  st.layout.start();
  const layout = st.layout;
  setTimeout(() => layout.stop(), ms);
}

function download(name: string, url: string): void {
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

/** Draws the chart's canvases onto one canvas, on white, and saves it as PNG. */
function exportPng(st: State, container: HTMLElement): string | undefined {
  const r = st.renderer;
  if (!r) return undefined;
  r.refresh();
  const { width, height } = r.getDimensions();
  const ratio = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = width * ratio;
  out.height = height * ratio;
  const ctx = out.getContext('2d');
  if (!ctx) return undefined;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  container.querySelectorAll('canvas').forEach((c) => ctx.drawImage(c, 0, 0, out.width, out.height));
  const url = out.toDataURL('image/png');
  download('linesight-network.png', url);
  return url;
}

/** Writes the chart as SVG from the nodes' screen positions. */
function exportSvg(st: State): string | undefined {
  const r = st.renderer;
  if (!r) return undefined;
  const { width, height } = r.getDimensions();
  const g = st.graph;
  const pos = new Map<string, { x: number; y: number }>();
  g.forEachNode((k, a) => pos.set(k, r.graphToViewport({ x: a.x as number, y: a.y as number })));
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>`];
  g.forEachEdge((_e, a, s, t) => {
    const p = pos.get(s)!;
    const q = pos.get(t)!;
    parts.push(`<line x1="${p.x.toFixed(1)}" y1="${p.y.toFixed(1)}" x2="${q.x.toFixed(1)}" y2="${q.y.toFixed(1)}" stroke="${a.color}" stroke-width="${Number(a.size).toFixed(1)}"/>`);
  });
  g.forEachNode((k, a) => {
    const p = pos.get(k)!;
    parts.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${(Number(a.size) / 2).toFixed(1)}" fill="${a.color}"><title>${esc(k)} (${esc(String(a.role))})</title></circle>`);
  });
  parts.push('</svg>');
  const svg = parts.join('');
  download('linesight-network.svg', URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
  return svg;
}

/** Renders the network page (loaded on first visit: it carries the WebGL libraries). */
export async function render(root: HTMLElement, params: Record<string, string>): Promise<void> {
    const q = new URLSearchParams();
    for (const k of ['line', 'number', 'from', 'to', 'limit']) if (params[k]) q.set(k, params[k]);
    const t0 = performance.now();
    const net = await api<Network>('GET', `/api/v1/network?${q}`);
    const tFetched = performance.now();
    const st: State = { graph: new Graph({ type: 'undirected' }), byCommunity: params.colour === 'community' };
    merge(st, net);
    const tBuilt = performance.now();

    const what = params.line ? `line ${params.line}` : params.number ? `number ${params.number}` : 'the case’s people';
    const from = el('input', { id: 'n-from', type: 'date', value: params.from ?? '' });
    const to = el('input', { id: 'n-to', type: 'date', value: params.to ?? '' });
    const community = el('input', { id: 'n-comm', type: 'checkbox', checked: st.byCommunity });
    const find = el('input', { id: 'n-find', type: 'search', list: 'n-nodes', placeholder: 'Number in the chart' });
    const nodesList = el('datalist', { id: 'n-nodes' });
    if (st.graph.order <= 3000) st.graph.forEachNode((k) => nodesList.append(el('option', { value: k })));
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
    const container = el('div', { class: 'sigma', id: 'sigma', role: 'img', 'aria-label': `Link chart of ${what}: ${net.nodes.length} numbers and ${net.edges.length} links` });
    const legendBox = el('ul', { class: 'legend', id: 'n-legend' });
    const drawLegend = () => {
      legendBox.replaceChildren(...(st.byCommunity
        ? [el('li', {}, `${new Set(net.nodes.map((n) => n.community)).size} communities (Leiden), one colour each`)]
        : Object.entries(ROLE_LABEL).map(([k, label]) => el('li', {}, el('span', { class: 'swatch', style: `background:${ROLE_COLOUR[k]}`, 'aria-hidden': 'true' }), label))));
    };
    drawLegend();
    root.replaceChildren(
      el('h1', {}, `Network of ${what}`),
      el('p', { class: 'muted' }, net.truncated ? 'Only the most connected numbers are shown (limit reached). ' : '', 'Links are calls and texts in the window; a thicker link is more events.'),
      controls, legendBox,
      el('div', { class: 'network-layout' }, container, el('aside', { 'aria-label': 'Selected node' }, details)),
      status,
    );

    // Thousands of nodes: no labels but the hovered one, and no edges while the view moves,
    // so that panning and zooming stay fluid on a laptop without a GPU.
    const big = st.graph.order > 2000;
    const renderer = new Sigma(st.graph, container, {
      // Straight edges only: the default set also carries self-loops, whose curve makes
      // every edge cost many vertices (calls to oneself are not in the data).
      primitives: { edges: { paths: [pathLine()], layers: [layerPlain()] } },
      settings: {
        renderEdgeLabels: false,
        renderLabels: !big,
        labelRenderedSizeThreshold: 12,
        hideEdgesOnMove: big,
        hideLabelsOnMove: big,
        antialiasEdges: !big,
      } as never,
    });
    st.renderer = renderer;
    const tSigma = performance.now();
    // Sigma may draw its first frame inside the constructor; two animation frames later the
    // frame is on screen and input is being handled.
    let first = true;
    const markReady = () => {
      if (!first) return;
      first = false;
      const ms = Math.round(performance.now() - t0);
      container.dataset.interactiveMs = String(ms);
      // Where the time went, for the speed test's report.
      container.dataset.timings = JSON.stringify({
        fetch_ms: Math.round(tFetched - t0), graph_ms: Math.round(tBuilt - tFetched),
        sigma_ms: Math.round(tSigma - tBuilt), frame_ms: Math.round(performance.now() - tSigma),
      });
      container.dataset.ready = 'true';
      status.textContent = `${st.graph.order} numbers, ${st.graph.size} links; interactive after ${ms} ms.`;
      // The layout refines the starting positions once the chart is on screen.
      runLayout(st, big ? 4000 : 2500);
    };
    requestAnimationFrame(() => requestAnimationFrame(markReady));

    const select = (node: string) => {
      if (!st.graph.hasNode(node)) {
        details.replaceChildren(el('p', {}, `${node} is not in the chart.`));
        return;
      }
      if (st.selected && st.graph.hasNode(st.selected)) renderer.setNodeState(st.selected, { isHighlighted: false } as never);
      st.selected = node;
      renderer.setNodeState(node, { isHighlighted: true } as never);
      const a = st.graph.getNodeAttributes(node);
      expandBtn.disabled = false;
      details.replaceChildren(
        el('h2', {}, node),
        el('p', {}, `${ROLE_LABEL[String(a.role)] ?? a.role} · community ${a.community} · ${st.graph.degree(node)} links in the chart`),
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
      const a = st.graph.getNodeAttributes(node);
      const added = merge(st, more, { x: a.x as number, y: a.y as number });
      status.textContent = `Expanded ${node}: ${added} new numbers; ${st.graph.order} numbers, ${st.graph.size} links.`;
      container.dataset.expanded = String(Number(container.dataset.expanded ?? 0) + 1);
      runLayout(st, 1500);
    };
    renderer.on('clickNode', ({ node }) => select(node));
    renderer.on('doubleClickNode', ({ node, event }) => {
      event.preventSigmaDefault();
      void expand(node);
    });
    find.addEventListener('change', () => select(find.value.trim()));
    expandBtn.addEventListener('click', () => st.selected && void expand(st.selected));
    community.addEventListener('change', () => {
      st.byCommunity = community.checked;
      recolour(st);
      drawLegend();
    });
    controls.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = href('/network', { line: params.line, number: params.number, from: from.value, to: to.value, colour: st.byCommunity ? 'community' : undefined });
    });
    controls.querySelector('#n-png')?.addEventListener('click', () => {
      const url = exportPng(st, container);
      if (url) container.dataset.pngBytes = String(url.length);
    });
    controls.querySelector('#n-svg')?.addEventListener('click', () => {
      const svg = exportSvg(st);
      if (svg) container.dataset.svgBytes = String(svg.length);
    });
    // Leaving the page stops the layout worker and frees the WebGL context.
    const stop = () => {
      st.layout?.kill();
      renderer.kill();
      window.removeEventListener('hashchange', stop);
    };
    window.addEventListener('hashchange', stop);
}
