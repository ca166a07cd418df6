// Types for the one ForceAtlas2 module the layout worker imports (the package types only its
// graphology-facing entry points).
declare module 'graphology-layout-forceatlas2/iterate.js' {
  /** One ForceAtlas2 step over the flat node (10 floats each) and edge (3 each) matrices. */
  export default function iterate(settings: Record<string, number | boolean>, nodes: Float32Array, edges: Float32Array): void;
}
