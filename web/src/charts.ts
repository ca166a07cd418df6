// Small SVG charts for daily series: no charting library, and each chart carries a text
// description for screen readers (the same figures are in tables on the page).

const NS = 'http://www.w3.org/2000/svg';

function svgEl(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export interface Series {
  label: string;
  values: number[];
  colour: string;
  kind: 'bar' | 'line';
}

export interface Marker {
  index: number;
  label: string;
  colour: string;
}

/** A daily chart: bars and lines over the same days, with vertical markers for events. */
export function dailyChart(days: string[], series: Series[], markers: Marker[], description: string): SVGSVGElement {
  const width = 1200;
  const height = 200;
  const pad = { l: 40, r: 10, t: 10, b: 24 };
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', 'aria-label': description }) as SVGSVGElement;
  const title = svgEl('title', {});
  title.textContent = description;
  svg.append(title);
  const n = Math.max(1, days.length);
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad.l + (i / n) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const bw = Math.max(1, (width - pad.l - pad.r) / n - 1);
  svg.append(svgEl('line', { x1: pad.l, x2: width - pad.r, y1: y(0), y2: y(0), stroke: '#555' }));
  for (const t of [0, 0.5, 1]) {
    const v = Math.round(max * t);
    const label = svgEl('text', { x: pad.l - 4, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#333' });
    label.textContent = String(v);
    svg.append(label);
  }
  for (const s of series) {
    if (s.kind === 'bar') {
      s.values.forEach((v, i) => {
        if (v > 0) svg.append(svgEl('rect', { x: x(i), y: y(v), width: bw, height: y(0) - y(v), fill: s.colour }));
      });
    } else {
      const pts = s.values.map((v, i) => `${(x(i) + bw / 2).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      svg.append(svgEl('polyline', { points: pts, fill: 'none', stroke: s.colour, 'stroke-width': 2 }));
    }
  }
  for (const m of markers) {
    const line = svgEl('line', { x1: x(m.index) + bw / 2, x2: x(m.index) + bw / 2, y1: pad.t, y2: y(0), stroke: m.colour, 'stroke-width': 2, 'stroke-dasharray': '4 3' });
    const t = svgEl('title', {});
    t.textContent = m.label;
    line.append(t);
    svg.append(line);
  }
  const step = Math.max(1, Math.ceil(n / 8));
  for (let i = 0; i < days.length; i += step) {
    const label = svgEl('text', { x: x(i), y: height - 6, 'font-size': 11, fill: '#333' });
    label.textContent = days[i].slice(5);
    svg.append(label);
  }
  return svg;
}

/** A legend for a chart's series and markers. */
export function legend(items: { label: string; colour: string }[]): HTMLElement {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  for (const i of items) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = i.colour;
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, i.label);
    ul.append(li);
  }
  return ul;
}
