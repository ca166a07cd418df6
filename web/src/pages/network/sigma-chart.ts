// The link chart for networks of normal size: sigma (WebGL) over a graphology graph, laid
// out by ForceAtlas2 in graphology's worker. Labels, hover and antialiased links.
import Graph from 'graphology';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import { inferSettings } from 'graphology-layout-forceatlas2';
import Sigma from 'sigma';
import { layerPlain, pathLine } from 'sigma/rendering';
import { ROLE_LABEL } from '../../shell.ts';
import type { Network } from '../../types.ts';
import { type Chart, type NodeInfo, nodeColour, nodeSize, startPosition, svgOf } from './chart.ts';

export class SigmaChart implements Chart {
  private graph = new Graph({ type: 'undirected' });
  private renderer: Sigma;
  private fa2?: FA2Layout;
  private byCommunity: boolean;
  private selected?: string;
  private first: Promise<void>;

  constructor(private container: HTMLElement, net: Network, byCommunity: boolean) {
    this.byCommunity = byCommunity;
    this.merge(net);
    this.renderer = new Sigma(this.graph, container, {
      // Straight edges only: the default set also carries self-loops, whose curve makes
      // every edge cost many vertices (calls to oneself are not in the data).
      primitives: { edges: { paths: [pathLine()], layers: [layerPlain()] } },
      settings: { renderEdgeLabels: false, labelRenderedSizeThreshold: 12 } as never,
    });
    // Sigma draws in an animation frame; one frame later that picture is on screen.
    this.first = new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  }

  get order(): number { return this.graph.order; }
  get size(): number { return this.graph.size; }

  merge(net: Network, around?: string): number {
    const g = this.graph;
    const at = around && g.hasNode(around) ? { x: g.getNodeAttribute(around, 'x') as number, y: g.getNodeAttribute(around, 'y') as number } : undefined;
    const n = Math.max(1, net.nodes.length);
    const communities = Math.max(1, ...net.nodes.map((x) => x.community + 1));
    // An expansion's communities come from its own detection: number them after the chart's.
    let offset = 0;
    if (at) g.forEachNode((_k, a) => (offset = Math.max(offset, Number(a.community) + 1)));
    let added = 0;
    net.nodes.forEach((node, i) => {
      if (g.hasNode(node.id)) return;
      added++;
      const community = node.community + offset;
      g.addNode(node.id, {
        ...startPosition(i, n, node.community, communities, at),
        label: node.id, role: node.role, community,
        size: nodeSize(node.events, node.center, n > 1000),
        color: nodeColour(node.role, community, this.byCommunity),
      });
    });
    for (const e of net.edges) {
      if (!g.hasNode(e.source) || !g.hasNode(e.target) || g.hasEdge(e.source, e.target)) continue;
      g.addEdge(e.source, e.target, { size: Math.min(6, 0.5 + Math.log2(1 + e.events) / 2), color: '#c8ccd0', weight: e.events });
    }
    return added;
  }

  info(id: string): NodeInfo | undefined {
    if (!this.graph.hasNode(id)) return undefined;
    const a = this.graph.getNodeAttributes(id);
    return { role: String(a.role), community: Number(a.community), degree: this.graph.degree(id) };
  }

  select(id: string | undefined): boolean {
    if (id !== undefined && !this.graph.hasNode(id)) return false;
    if (this.selected && this.graph.hasNode(this.selected)) this.renderer.setNodeState(this.selected, { isHighlighted: false } as never);
    this.selected = id;
    if (id) this.renderer.setNodeState(id, { isHighlighted: true } as never);
    return true;
  }

  setColourByCommunity(on: boolean): void {
    this.byCommunity = on;
    this.graph.updateEachNodeAttributes((_k, a) => ({ ...a, color: nodeColour(String(a.role), Number(a.community), on) }));
  }

  layout(ms: number): void {
    this.fa2?.kill();
    if (this.graph.order < 2) return;
    const settings = { ...inferSettings(this.graph), barnesHutOptimize: this.graph.order > 500 };
    const fa2 = new FA2Layout(this.graph, { settings });
    this.fa2 = fa2;
    fa2.start();
    this.container.dataset.layout = 'running';
    setTimeout(() => {
      fa2.stop();
      if (this.fa2 === fa2) this.container.dataset.layout = 'done';
    }, ms);
  }

  png(): string | undefined {
    const r = this.renderer;
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
    this.container.querySelectorAll('canvas').forEach((c) => ctx.drawImage(c, 0, 0, out.width, out.height));
    return out.toDataURL('image/png');
  }

  svg(): string | undefined {
    const r = this.renderer;
    const { width, height } = r.getDimensions();
    const g = this.graph;
    const pos = new Map<string, { x: number; y: number }>();
    g.forEachNode((k, a) => pos.set(k, r.graphToViewport({ x: a.x as number, y: a.y as number })));
    const edges = g.mapEdges((_e, a, s, t) => {
      const p = pos.get(s)!;
      const q = pos.get(t)!;
      return [p.x, p.y, q.x, q.y, String(a.color), Number(a.size)] as [number, number, number, number, string, number];
    });
    const nodes = g.mapNodes((k, a) => {
      const p = pos.get(k)!;
      return [p.x, p.y, Number(a.size) / 2, String(a.color), `${k} (${ROLE_LABEL[String(a.role)] ?? a.role})`] as [number, number, number, string, string];
    });
    return svgOf(width, height, edges, nodes);
  }

  clientPosition(id: string): { x: number; y: number } | undefined {
    if (!this.graph.hasNode(id)) return undefined;
    const a = this.graph.getNodeAttributes(id);
    const p = this.renderer.graphToViewport({ x: a.x as number, y: a.y as number });
    const box = this.container.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  onClickNode(cb: (id: string) => void): void {
    this.renderer.on('clickNode', ({ node }) => cb(node));
  }

  onDoubleClickNode(cb: (id: string) => void): void {
    this.renderer.on('doubleClickNode', ({ node, event }) => {
      event.preventSigmaDefault();
      cb(node);
    });
  }

  drawn(): Promise<void> { return this.first; }

  kill(): void {
    this.fa2?.kill();
    this.renderer.kill();
  }
}
