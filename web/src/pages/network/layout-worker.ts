// ForceAtlas2 in a web worker over flat typed arrays, for the large-chart renderer: no graph
// objects are built on either side, and the page receives only x/y pairs to draw. The step
// function is graphology-layout-forceatlas2's own, so both renderers lay out alike.
import iterate from 'graphology-layout-forceatlas2/iterate.js';

/** What the page sends: positions (x, y pairs), edges (index pairs), their weights, a budget. */
export interface LayoutJob { xy: Float32Array; edges: Uint32Array; weights: Float32Array; ms: number; postEveryMs: number }

const PPN = 10; // floats per node in the FA2 node matrix
const PPE = 3; // floats per edge in the FA2 edge matrix
let generation = 0;

self.onmessage = (ev: MessageEvent<LayoutJob | 'stop'>) => {
  const mine = ++generation;
  if (ev.data === 'stop') return;
  const { xy, edges, weights, ms, postEveryMs } = ev.data;
  const n = xy.length / 2;
  const m = weights.length;
  const nodes = new Float32Array(n * PPN);
  for (let i = 0; i < n; i++) {
    nodes[i * PPN] = xy[2 * i];
    nodes[i * PPN + 1] = xy[2 * i + 1];
    nodes[i * PPN + 6] = 1; // mass: 1 + weighted degree, as graphology's helper sets it
    nodes[i * PPN + 7] = 1; // convergence
    nodes[i * PPN + 8] = 1; // size
  }
  const em = new Float32Array(m * PPE);
  for (let j = 0; j < m; j++) {
    const a = edges[2 * j];
    const b = edges[2 * j + 1];
    em[j * PPE] = a * PPN;
    em[j * PPE + 1] = b * PPN;
    em[j * PPE + 2] = weights[j];
    nodes[a * PPN + 6] += weights[j];
    nodes[b * PPN + 6] += weights[j];
  }
  // graphology-layout-forceatlas2's inferSettings, with its defaults filled in.
  const settings = {
    linLogMode: false, outboundAttractionDistribution: false, adjustSizes: false, edgeWeightInfluence: 1,
    scalingRatio: 10, strongGravityMode: true, gravity: 0.05, slowDown: 1 + Math.log(n),
    barnesHutOptimize: n > 500, barnesHutTheta: 0.5,
  };
  const end = performance.now() + ms;
  // Work in slices so that a 'stop' (or a new job) is read between them; post after each.
  const slice = () => {
    if (mine !== generation) return;
    const until = Math.min(end, performance.now() + postEveryMs);
    do iterate(settings, nodes, em);
    while (performance.now() < until);
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      out[2 * i] = nodes[i * PPN];
      out[2 * i + 1] = nodes[i * PPN + 1];
    }
    const done = performance.now() >= end;
    (self as unknown as Worker).postMessage({ xy: out, done }, [out.buffer]);
    if (!done) setTimeout(slice, 0);
  };
  slice();
};
