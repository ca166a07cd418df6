// What the network page asks of a link-chart renderer. Two implement it: sigma (WebGL, for
// charts of normal size) and a Canvas 2D renderer over typed arrays for very large charts,
// where SwiftShader's CPU rendering of sigma's programs takes seconds (docs/web.md).
import { ROLE_COLOUR } from '../../shell.ts';
import type { Network } from '../../types.ts';

/** Twelve distinct community colours; communities beyond them repeat the palette. */
export const COMMUNITY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];

export function nodeColour(role: string, community: number, byCommunity: boolean): string {
  if (byCommunity) return COMMUNITY[community % COMMUNITY.length];
  return ROLE_COLOUR[role] ?? ROLE_COLOUR.contact;
}

/** A node's radius in chart units: more events, bigger; the line itself bigger still. */
export function nodeSize(events: number, center: boolean, many: boolean): number {
  return (Math.min(14, 3 + Math.log2(1 + events)) + (center ? 3 : 0)) * (many ? 0.35 : 1);
}

/** Where a new node starts: near `around` after an expansion, else on its community's ring. */
export function startPosition(i: number, n: number, community: number, communities: number, around?: { x: number; y: number }): { x: number; y: number } {
  if (around) {
    const a = (2 * Math.PI * i) / n;
    return { x: around.x + Math.cos(a) * (1 + Math.random()), y: around.y + Math.sin(a) * (1 + Math.random()) };
  }
  const a = (2 * Math.PI * community) / communities;
  const r = Math.sqrt(communities) * 20;
  return { x: Math.cos(a) * r + (Math.random() - 0.5) * 20, y: Math.sin(a) * r + (Math.random() - 0.5) * 20 };
}

export interface NodeInfo { role: string; community: number; degree: number }

export interface Chart {
  /** Numbers and links in the chart. */
  readonly order: number;
  readonly size: number;
  /** Adds a network answer; new nodes start near `around` (a node id). Returns how many were new. */
  merge(net: Network, around?: string): number;
  info(id: string): NodeInfo | undefined;
  /** Marks a node as selected (or none); false when it is not in the chart. */
  select(id: string | undefined): boolean;
  setColourByCommunity(on: boolean): void;
  /** Runs the force layout for about `ms` milliseconds, in a worker. */
  layout(ms: number): void;
  /** The picture on white, as a PNG data URL. */
  png(): string | undefined;
  /** The picture as SVG, from the nodes' screen positions. */
  svg(): string | undefined;
  /** The node's position on the page (CSS pixels), when it is in view. */
  clientPosition(id: string): { x: number; y: number } | undefined;
  onClickNode(cb: (id: string) => void): void;
  onDoubleClickNode(cb: (id: string) => void): void;
  /** Resolves once the first picture with every node is on screen. */
  drawn(): Promise<void>;
  kill(): void;
}

/** Writes a chart as SVG from screen positions, sizes and colours. */
export function svgOf(width: number, height: number, edges: Iterable<[number, number, number, number, string, number]>, nodes: Iterable<[number, number, number, string, string]>): string {
  const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>`];
  for (const [x1, y1, x2, y2, colour, w] of edges) {
    parts.push(`<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${colour}" stroke-width="${w.toFixed(1)}"/>`);
  }
  for (const [x, y, r, colour, title] of nodes) {
    parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" fill="${colour}"><title>${esc(title)}</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
