// The link chart for very large networks (thousands of numbers, tens of thousands of links):
// nodes and links in typed arrays, drawn with Canvas 2D. Without a GPU, Chromium runs WebGL
// on SwiftShader, where sigma's first frame of 50,000 links took seconds; Skia draws the same
// links as hairlines in about a tenth of a second. While the view moves, the last picture is
// moved by a CSS transform (no redraw) and redrawn once the view rests; the selection and
// hover labels live on a second, cheap canvas on top. Layout: ForceAtlas2 in a worker.
import { ROLE_LABEL } from '../../shell.ts';
import type { Network } from '../../types.ts';
import { type Chart, type NodeInfo, nodeColour, nodeSize, startPosition, svgOf } from './chart.ts';
import type { LayoutJob } from './layout-worker.ts';

interface Camera { x: number; y: number; k: number }

const EDGE = 'rgba(130,140,150,0.40)';
const EDGE_SELECTED = 'rgba(40,40,40,0.75)';
const REST_MS = 150; // redraw this long after the last move

function grow<T extends Float32Array | Uint32Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class CanvasChart implements Chart {
  private ids: string[] = [];
  private index = new Map<string, number>();
  private roles: string[] = [];
  private colours: string[] = [];
  private xs = new Float32Array(1024);
  private ys = new Float32Array(1024);
  private sizes = new Float32Array(1024);
  private comm = new Int32Array(1024);
  private deg = new Uint32Array(1024);
  private n = 0;
  private es = new Uint32Array(4096);
  private ws = new Float32Array(2048);
  private m = 0;
  private edgeKeys = new Set<number>();
  private byCommunity: boolean;
  // Normalised coordinates: the layout's bounding box maps to [-0.5, 0.5], so the camera keeps
  // its meaning while the layout spreads (as sigma does).
  private bx = 0;
  private by = 0;
  private span = 1;
  private cam: Camera = { x: 0, y: 0, k: 1 };
  private drawnCam: Camera = { x: 0, y: 0, k: 1 };
  // Screen positions of the nodes in the picture on screen (at drawnCam): clicks, hover and the
  // selection follow what is shown, not layout steps that are not drawn yet.
  private shownX = new Float32Array(0);
  private shownY = new Float32Array(0);
  private w = 1;
  private h = 1;
  private dpr = 1;
  private base: HTMLCanvasElement;
  private over: HTMLCanvasElement;
  private bctx: CanvasRenderingContext2D;
  private octx: CanvasRenderingContext2D;
  private selected = -1;
  private hovered = -1;
  private baseDirty = true;
  private overDirty = true;
  private moving = false;
  private restTimer = 0;
  private frame = 0;
  private worker?: Worker;
  private resize: ResizeObserver;
  private clickCb: (id: string) => void = () => {};
  private dblCb: (id: string) => void = () => {};
  private first: Promise<void>;
  private firstDone?: () => void;
  private killed = false;

  constructor(private container: HTMLElement, net: Network, byCommunity: boolean) {
    this.byCommunity = byCommunity;
    this.merge(net);
    container.classList.add('canvas-chart');
    this.base = document.createElement('canvas');
    this.over = document.createElement('canvas');
    for (const c of [this.base, this.over]) c.setAttribute('aria-hidden', 'true');
    container.append(this.base, this.over);
    this.bctx = this.base.getContext('2d', { alpha: false })!;
    this.octx = this.over.getContext('2d')!;
    // Each pixel of a link costs CPU time: at most 1 device pixel per CSS pixel for big charts.
    this.dpr = Math.min(window.devicePixelRatio || 1, this.m > 20_000 ? 1 : 2);
    this.sizeCanvases();
    this.fit();
    this.first = new Promise((resolve) => (this.firstDone = resolve));
    this.resize = new ResizeObserver(() => {
      if (this.sizeCanvases()) this.invalidate(true);
    });
    this.resize.observe(container);
    this.listen();
    this.invalidate(true);
  }

  get order(): number { return this.n; }
  get size(): number { return this.m; }

  merge(net: Network, around?: string): number {
    const at0 = around === undefined ? undefined : this.index.get(around);
    const at = at0 === undefined ? undefined : { x: this.xs[at0], y: this.ys[at0] };
    const count = Math.max(1, net.nodes.length);
    let communities = 1;
    for (const x of net.nodes) communities = Math.max(communities, x.community + 1);
    let offset = 0;
    if (at) for (let i = 0; i < this.n; i++) offset = Math.max(offset, this.comm[i] + 1);
    const need = this.n + net.nodes.length;
    this.xs = grow(this.xs, need);
    this.ys = grow(this.ys, need);
    this.sizes = grow(this.sizes, need);
    this.comm = grow(this.comm, need);
    this.deg = grow(this.deg, need);
    let added = 0;
    net.nodes.forEach((node, i) => {
      if (this.index.has(node.id)) return;
      const k = this.n++;
      added++;
      const p = startPosition(i, count, node.community, communities, at);
      this.index.set(node.id, k);
      this.ids.push(node.id);
      this.roles.push(node.role);
      this.xs[k] = p.x;
      this.ys[k] = p.y;
      this.comm[k] = node.community + offset;
      this.sizes[k] = nodeSize(node.events, node.center, count > 1000);
      this.colours.push(nodeColour(node.role, this.comm[k], this.byCommunity));
    });
    this.es = grow(this.es, 2 * (this.m + net.edges.length));
    this.ws = grow(this.ws, this.m + net.edges.length);
    for (const e of net.edges) {
      const a = this.index.get(e.source);
      const b = this.index.get(e.target);
      if (a === undefined || b === undefined || a === b) continue;
      // One key per unordered pair; node counts stay far below 2^26, so the key is exact.
      const key = a < b ? a * 67_108_864 + b : b * 67_108_864 + a;
      if (this.edgeKeys.has(key)) continue;
      this.edgeKeys.add(key);
      this.es[2 * this.m] = a;
      this.es[2 * this.m + 1] = b;
      this.ws[this.m] = e.events;
      this.m++;
      this.deg[a]++;
      this.deg[b]++;
    }
    this.bounds();
    if (this.base) this.invalidate(true);
    return added;
  }

  info(id: string): NodeInfo | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : { role: this.roles[i], community: this.comm[i], degree: this.deg[i] };
  }

  select(id: string | undefined): boolean {
    const i = id === undefined ? -1 : this.index.get(id);
    if (i === undefined) return false;
    this.selected = i;
    this.invalidate(false);
    return true;
  }

  setColourByCommunity(on: boolean): void {
    this.byCommunity = on;
    for (let i = 0; i < this.n; i++) this.colours[i] = nodeColour(this.roles[i], this.comm[i], on);
    this.invalidate(true);
  }

  layout(ms: number): void {
    this.worker?.terminate();
    if (this.n < 2) return;
    const worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.container.dataset.layout = 'running';
    const n = this.n;
    const xy = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      xy[2 * i] = this.xs[i];
      xy[2 * i + 1] = this.ys[i];
    }
    worker.onmessage = (ev: MessageEvent<{ xy: Float32Array; done: boolean }>) => {
      if (this.worker !== worker || this.n !== n) return;
      const p = ev.data.xy;
      for (let i = 0; i < n; i++) {
        this.xs[i] = p[2 * i];
        this.ys[i] = p[2 * i + 1];
      }
      this.bounds();
      this.invalidate(true);
      if (ev.data.done) {
        worker.terminate();
        this.container.dataset.layout = 'done';
      }
    };
    // Big charts take a new picture at most four times a second: each costs the page ~0.1 s.
    const job: LayoutJob = { xy, edges: this.es.slice(0, 2 * this.m), weights: this.ws.slice(0, this.m), ms, postEveryMs: this.m > 20_000 ? 250 : 60 };
    worker.postMessage(job, [job.xy.buffer, job.edges.buffer, job.weights.buffer]);
  }

  png(): string | undefined {
    this.drawBase();
    this.drawOverlay();
    const out = document.createElement('canvas');
    out.width = this.base.width;
    out.height = this.base.height;
    const ctx = out.getContext('2d');
    if (!ctx) return undefined;
    ctx.drawImage(this.base, 0, 0);
    ctx.drawImage(this.over, 0, 0);
    return out.toDataURL('image/png');
  }

  svg(): string | undefined {
    const cam = this.cam;
    const sx = (i: number) => this.sx(i, cam);
    const sy = (i: number) => this.sy(i, cam);
    const es = this.es;
    const width = this.m > 20_000 ? 0.5 : 1;
    const self = this;
    function* edges(): Generator<[number, number, number, number, string, number]> {
      for (let j = 0; j < self.m; j++) yield [sx(es[2 * j]), sy(es[2 * j]), sx(es[2 * j + 1]), sy(es[2 * j + 1]), '#c8ccd0', width];
    }
    function* nodes(): Generator<[number, number, number, string, string]> {
      const scale = self.radiusScale(cam);
      for (let i = 0; i < self.n; i++) yield [sx(i), sy(i), Math.max(1, self.sizes[i] * scale), self.colours[i], `${self.ids[i]} (${ROLE_LABEL[self.roles[i]] ?? self.roles[i]})`];
    }
    return svgOf(this.w, this.h, edges(), nodes());
  }

  clientPosition(id: string): { x: number; y: number } | undefined {
    const i = this.index.get(id);
    if (i === undefined) return undefined;
    const { x, y } = this.pos(i);
    if (x < 0 || y < 0 || x > this.w || y > this.h) return undefined;
    const box = this.container.getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  }

  onClickNode(cb: (id: string) => void): void { this.clickCb = cb; }
  onDoubleClickNode(cb: (id: string) => void): void { this.dblCb = cb; }
  drawn(): Promise<void> { return this.first; }

  kill(): void {
    this.killed = true;
    this.worker?.terminate();
    this.resize.disconnect();
    clearTimeout(this.restTimer);
  }

  // ---- geometry ----

  private bounds(): void {
    if (this.n === 0) return;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < this.n; i++) {
      const x = this.xs[i];
      const y = this.ys[i];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    this.bx = (x0 + x1) / 2;
    this.by = (y0 + y1) / 2;
    this.span = Math.max(x1 - x0, y1 - y0, 1e-6);
  }

  private sx(i: number, c: Camera): number { return ((this.xs[i] - this.bx) / this.span - c.x) * c.k + this.w / 2; }
  private sy(i: number, c: Camera): number { return ((this.ys[i] - this.by) / this.span - c.y) * c.k + this.h / 2; }

  /** Where node `i` is on screen now: its place in the picture shown, moved with the view. */
  private pos(i: number): { x: number; y: number } {
    if (i >= this.shownX.length) return { x: this.sx(i, this.cam), y: this.sy(i, this.cam) };
    const { r, ox, oy } = this.shownTransform();
    return { x: this.shownX[i] * r + ox, y: this.shownY[i] * r + oy };
  }

  /** The transform from the picture drawn at drawnCam to the view at cam. */
  private shownTransform(): { r: number; ox: number; oy: number } {
    const c = this.cam;
    const d = this.drawnCam;
    const r = c.k / d.k;
    return { r, ox: (this.w / 2) * (1 - r) + (d.x - c.x) * c.k, oy: (this.h / 2) * (1 - r) + (d.y - c.y) * c.k };
  }

  private fitK(): number { return Math.min(this.w, this.h) * 0.92; }

  /** Node radii grow with the square root of the zoom, as sigma's do. */
  private radiusScale(c: Camera): number { return Math.sqrt(c.k / this.fitK()); }

  private fit(): void {
    this.cam = { x: 0, y: 0, k: this.fitK() };
  }

  private sizeCanvases(): boolean {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    if (w === this.w && h === this.h && this.base.width === Math.round(w * this.dpr)) return false;
    const k0 = this.fitK();
    this.w = w;
    this.h = h;
    this.cam.k *= this.fitK() / k0;
    for (const c of [this.base, this.over]) {
      c.width = Math.round(w * this.dpr);
      c.height = Math.round(h * this.dpr);
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
    }
    return true;
  }

  private hit(px: number, py: number): number {
    let best = -1;
    let bestD = Infinity;
    const scale = this.radiusScale(this.cam);
    // pos(), inlined: this runs on every pointer move.
    const { r: tr, ox, oy } = this.shownTransform();
    const shown = this.shownX.length;
    for (let i = 0; i < this.n; i++) {
      const x = i < shown ? this.shownX[i] * tr + ox : this.sx(i, this.cam);
      const y = i < shown ? this.shownY[i] * tr + oy : this.sy(i, this.cam);
      const dx = x - px;
      const dy = y - py;
      const d = dx * dx + dy * dy;
      const r = Math.max(5, this.sizes[i] * scale + 2);
      if (d <= r * r && d < bestD) {
        best = i;
        bestD = d;
      }
    }
    return best;
  }

  // ---- drawing ----

  /** Marks the picture (or only the overlay) as stale and draws it in the next frame. */
  private invalidate(base: boolean): void {
    if (base) this.baseDirty = true;
    this.overDirty = true;
    if (this.frame || this.killed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.killed) return;
      if (this.baseDirty && !this.moving) this.drawBase();
      if (this.overDirty) this.drawOverlay();
    });
  }

  private drawBase(): void {
    const ctx = this.bctx;
    const { w, h, cam } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    const n = this.n;
    const sx = new Float32Array(n);
    const sy = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      sx[i] = this.sx(i, cam);
      sy[i] = this.sy(i, cam);
    }
    // All links as one path of hairlines: one stroke, whatever their number.
    ctx.lineWidth = this.m > 20_000 ? 0.5 : 1;
    ctx.strokeStyle = EDGE;
    ctx.beginPath();
    const es = this.es;
    for (let j = 0; j < this.m; j++) {
      const a = es[2 * j];
      const b = es[2 * j + 1];
      const ax = sx[a], ay = sy[a], bx = sx[b], by = sy[b];
      if ((ax < 0 && bx < 0) || (ax > w && bx > w) || (ay < 0 && by < 0) || (ay > h && by > h)) continue;
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
    }
    ctx.stroke();
    // Nodes: one path per colour.
    const scale = this.radiusScale(cam);
    const groups = new Map<string, number[]>();
    let visible = 0;
    for (let i = 0; i < n; i++) {
      if (sx[i] < -20 || sy[i] < -20 || sx[i] > w + 20 || sy[i] > h + 20) continue;
      visible++;
      let g = groups.get(this.colours[i]);
      if (!g) groups.set(this.colours[i], (g = []));
      g.push(i);
    }
    for (const [colour, members] of groups) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (const i of members) {
        const r = Math.min(30, Math.max(1, this.sizes[i] * scale));
        if (r < 1.6) ctx.rect(sx[i] - r, sy[i] - r, 2 * r, 2 * r);
        else {
          ctx.moveTo(sx[i] + r, sy[i]);
          ctx.arc(sx[i], sy[i], r, 0, 2 * Math.PI);
        }
      }
      ctx.fill();
    }
    // Labels once few enough numbers are in view to read them.
    if (visible <= 150) {
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = '#222';
      for (const members of groups.values()) {
        for (const i of members) ctx.fillText(this.ids[i], sx[i] + Math.max(1, this.sizes[i] * scale) + 2, sy[i] + 4);
      }
    }
    this.drawnCam = { ...cam };
    this.shownX = sx;
    this.shownY = sy;
    this.base.style.transform = '';
    this.baseDirty = false;
    this.container.dataset.frames = String(Number(this.container.dataset.frames ?? 0) + 1);
    const done = this.firstDone;
    if (done) {
      // The canvas is composited in the frame after this one: then it is on screen.
      requestAnimationFrame(() => requestAnimationFrame(() => done()));
      this.firstDone = undefined;
    }
  }

  private drawOverlay(): void {
    const ctx = this.octx;
    const { w, h, cam } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    this.overDirty = false;
    const scale = this.radiusScale(cam);
    const label = (i: number, bold: boolean) => {
      const { x, y } = this.pos(i);
      const r = Math.max(2, this.sizes[i] * scale);
      ctx.font = `${bold ? 'bold ' : ''}12px system-ui, sans-serif`;
      const text = this.ids[i];
      const tw = ctx.measureText(text).width;
      ctx.fillStyle = 'rgba(255,255,255,0.9)';
      ctx.fillRect(x + r + 2, y - 9, tw + 6, 17);
      ctx.fillStyle = '#111';
      ctx.fillText(text, x + r + 5, y + 4);
    };
    const s = this.selected;
    if (s >= 0) {
      ctx.strokeStyle = EDGE_SELECTED;
      ctx.lineWidth = 1;
      ctx.beginPath();
      const es = this.es;
      for (let j = 0; j < this.m; j++) {
        const a = es[2 * j];
        const b = es[2 * j + 1];
        if (a !== s && b !== s) continue;
        const p = this.pos(a);
        const q = this.pos(b);
        ctx.moveTo(p.x, p.y);
        ctx.lineTo(q.x, q.y);
      }
      ctx.stroke();
      const r = Math.max(4, this.sizes[s] * scale + 3);
      ctx.beginPath();
      const p = this.pos(s);
      ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
      ctx.fillStyle = this.colours[s];
      ctx.fill();
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#111';
      ctx.stroke();
      label(s, true);
    }
    if (this.hovered >= 0 && this.hovered !== s) label(this.hovered, false);
    this.container.dataset.selected = s >= 0 ? this.ids[s] : '';
    this.container.dataset.camera = `${cam.x.toFixed(4)},${cam.y.toFixed(4)},${cam.k.toFixed(1)}`;
  }

  // ---- input ----

  /** Moves the camera: the last picture follows by a CSS transform until the view rests. */
  private moveTo(c: Camera): void {
    this.cam = c;
    const { r, ox, oy } = this.shownTransform();
    this.base.style.transform = `translate(${ox}px, ${oy}px) scale(${r})`;
    this.moving = true;
    clearTimeout(this.restTimer);
    this.restTimer = window.setTimeout(() => {
      this.moving = false;
      this.invalidate(true);
    }, REST_MS);
    this.baseDirty = true;
    this.invalidate(false);
  }

  private zoomAt(px: number, py: number, factor: number): void {
    const c = this.cam;
    const k = Math.min(Math.max(c.k * factor, this.fitK() / 8), this.fitK() * 400);
    // Keep the graph point under the pointer where it is.
    const gx = (px - this.w / 2) / c.k + c.x;
    const gy = (py - this.h / 2) / c.k + c.y;
    this.moveTo({ k, x: gx - (px - this.w / 2) / k, y: gy - (py - this.h / 2) / k });
  }

  private listen(): void {
    const el = this.container;
    const local = (ev: MouseEvent) => {
      const b = el.getBoundingClientRect();
      return { x: ev.clientX - b.left, y: ev.clientY - b.top };
    };
    el.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const p = local(ev);
      const dy = ev.deltaMode === 1 ? ev.deltaY * 30 : ev.deltaY;
      this.zoomAt(p.x, p.y, Math.exp(-dy * 0.002));
    }, { passive: false });
    let down: { x: number; y: number; cam: Camera; id: number; dragged: boolean } | undefined;
    el.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      const p = local(ev);
      down = { ...p, cam: { ...this.cam }, id: ev.pointerId, dragged: false };
      el.setPointerCapture(ev.pointerId);
    });
    el.addEventListener('pointermove', (ev) => {
      const p = local(ev);
      if (down && down.id === ev.pointerId) {
        if (!down.dragged && Math.hypot(p.x - down.x, p.y - down.y) < 4) return;
        down.dragged = true;
        el.style.cursor = 'grabbing';
        this.moveTo({ k: down.cam.k, x: down.cam.x - (p.x - down.x) / down.cam.k, y: down.cam.y - (p.y - down.y) / down.cam.k });
        return;
      }
      const i = this.hit(p.x, p.y);
      if (i !== this.hovered) {
        this.hovered = i;
        el.style.cursor = i >= 0 ? 'pointer' : '';
        this.invalidate(false);
      }
    });
    const up = (ev: PointerEvent) => {
      if (!down || down.id !== ev.pointerId) return;
      const wasDrag = down.dragged;
      down = undefined;
      el.style.cursor = '';
      if (wasDrag) return;
      const p = local(ev);
      const i = this.hit(p.x, p.y);
      if (i >= 0) this.clickCb(this.ids[i]);
    };
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', () => (down = undefined));
    el.addEventListener('dblclick', (ev) => {
      const p = local(ev);
      const i = this.hit(p.x, p.y);
      if (i >= 0) this.dblCb(this.ids[i]);
    });
    // Keyboard: arrows pan, + and - zoom, 0 fits the whole chart.
    el.addEventListener('keydown', (ev) => {
      const c = this.cam;
      const step = 60 / c.k;
      const moves: Record<string, () => void> = {
        ArrowLeft: () => this.moveTo({ ...c, x: c.x - step }),
        ArrowRight: () => this.moveTo({ ...c, x: c.x + step }),
        ArrowUp: () => this.moveTo({ ...c, y: c.y - step }),
        ArrowDown: () => this.moveTo({ ...c, y: c.y + step }),
        '+': () => this.zoomAt(this.w / 2, this.h / 2, 1.5),
        '=': () => this.zoomAt(this.w / 2, this.h / 2, 1.5),
        '-': () => this.zoomAt(this.w / 2, this.h / 2, 1 / 1.5),
        '0': () => this.moveTo({ x: 0, y: 0, k: this.fitK() }),
      };
      const f = moves[ev.key];
      if (!f) return;
      ev.preventDefault();
      f();
    });
  }
}
