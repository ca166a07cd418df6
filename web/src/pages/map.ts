// Map: fully offline (MapLibre with no tiles; the base outline is Natural Earth from the
// world-atlas package, bundled at build time). Shows cells as sector areas, runners'
// trips and cell paths as sequences of cells, and cuckooed places; loads the boundaries
// file given to `serve --boundaries`. A cell is an area, never a point location.
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre's ES build runs its tile work in a separate worker file, bundled here as an asset.
import mapWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import worldUrl from 'world-atlas/countries-50m.json?url';
import { api, ApiError, el, fmtTime, href } from '../shell.ts';
import type { Cell, LinesResponse, MapData } from '../types.ts';

type Ring = [number, number][];
type FC = GeoJSON.FeatureCollection;

/** Radius drawn for a sector. Real cells serve hundreds of metres to kilometres; this is a sketch of the area, not its true extent. */
const SECTOR_KM = 1.2;

function sector(c: Cell, km = SECTOR_KM): Ring {
  const ring: Ring = [[c.lon, c.lat]];
  const bw = c.beamwidth_deg >= 360 || c.beamwidth_deg === 0 ? 360 : c.beamwidth_deg;
  const start = c.azimuth_deg - bw / 2;
  const dLat = km / 111.32;
  const dLon = km / (111.32 * Math.cos((c.lat * Math.PI) / 180));
  for (let i = 0; i <= 16; i++) {
    const a = ((start + (bw * i) / 16) * Math.PI) / 180;
    ring.push([c.lon + Math.sin(a) * dLon, c.lat + Math.cos(a) * dLat]);
  }
  ring.push([c.lon, c.lat]);
  return ring;
}

function fc(features: GeoJSON.Feature[]): FC {
  return { type: 'FeatureCollection', features };
}

function sectorFeatures(cells: Cell[], props: (c: Cell) => Record<string, unknown> = () => ({})): GeoJSON.Feature[] {
  return cells.map((c) => ({ type: 'Feature', properties: { cell: c.cell_id, ...props(c) }, geometry: { type: 'Polygon', coordinates: [sector(c)] } }));
}

/** A sequence of cells as a line between their masts: the order the phone was served, not a route. */
function sequenceFeature(cells: (Cell | undefined)[], props: Record<string, unknown>): GeoJSON.Feature | undefined {
  const coords = cells.filter((c): c is Cell => !!c).map((c) => [c.lon, c.lat]);
  if (coords.length < 2) return undefined;
  return { type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: coords } };
}

/** The Natural Earth outline, bundled as a file by Vite and fetched from this server. */
async function baseStyle(): Promise<maplibregl.StyleSpecification> {
  const topo = (await (await fetch(worldUrl)).json()) as Topology<{ countries: GeometryCollection }>;
  const countries = feature(topo, topo.objects.countries) as unknown as FC;
  return {
    version: 8,
    sources: { countries: { type: 'geojson', data: countries } },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#dbe9f4' } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f7f5ef' } },
      { id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': '#9a9a9a', 'line-width': 0.8 } },
    ],
  };
}

/** Renders the map page (loaded on first visit: it carries the WebGL libraries). */
export async function render(root: HTMLElement, params: Record<string, string>): Promise<void> {
    const q = new URLSearchParams();
    for (const k of ['line', 'number', 'from', 'to']) if (params[k]) q.set(k, params[k]);
    const [cellsRes, data, lines] = await Promise.all([
      api<{ cells: Cell[] }>('GET', '/api/v1/cells'),
      api<MapData>('GET', `/api/v1/map?${q}`),
      api<LinesResponse>('GET', '/api/v1/lines?sort=line_id'),
    ]);
    const cells = new Map(cellsRes.cells.map((c) => [c.cell_id, c]));
    let boundaries: FC | undefined;
    try {
      boundaries = await api<FC>('GET', '/api/v1/boundaries');
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }

    const lineSel = el('select', { id: 'm-line' }, el('option', { value: '' }, 'Whole case'),
      ...lines.lines.map((l) => el('option', { value: l.line_id, selected: l.line_id === params.line }, `${l.line_id}${l.town ? ` (${l.town})` : ''}`)));
    const numberIn = el('input', { id: 'm-number', type: 'search', value: params.number ?? '', placeholder: 'A number' });
    const form = el('form', { class: 'filters', 'aria-label': 'What to show' },
      el('label', { for: 'm-line' }, 'Line'), lineSel,
      el('label', { for: 'm-number' }, 'or number'), numberIn,
      el('button', { type: 'submit' }, 'Show'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const n = numberIn.value.trim();
      location.hash = href('/map', n ? { number: n } : { line: lineSel.value });
    });

    const mapBox = el('div', { id: 'map', class: 'map', role: 'application', 'aria-label': 'Map of cells, trips and places. Use the lists beside it to move the map with the keyboard.' });
    const side = el('aside', { class: 'map-side', 'aria-label': 'Trips, places and cell paths' });
    root.replaceChildren(
      el('h1', {}, 'Map', params.line ? ` of line ${params.line}` : params.number ? ` of ${params.number}` : ''),
      el('p', { class: 'muted' }, 'Cells are drawn as sector areas around their masts: a phone in a cell was somewhere in that area, not at a point. Lines join cells in the order a phone used them; they are not routes. Base map: Natural Earth.',
        boundaries ? ' Boundaries: the file given to the server.' : ' No boundaries file was given (start the server with --boundaries FILE).'),
      form,
      el('div', { class: 'map-layout' }, mapBox, side),
    );

    maplibregl.setWorkerUrl(mapWorkerUrl);
    const map = new maplibregl.Map({ container: mapBox, style: await baseStyle(), center: [-0.5, 52.2], zoom: 6.5, attributionControl: false, fadeDuration: 0 });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    map.addControl(new maplibregl.AttributionControl({ compact: false, customAttribution: 'Natural Earth (world-atlas)' + (boundaries ? '; boundaries: user file' : '') }));

    const used = new Set<string>();
    const tripFeatures: GeoJSON.Feature[] = [];
    data.trips.forEach((t, i) => {
      t.cells.forEach((c) => used.add(c));
      const f = sequenceFeature(t.cells.map((c) => cells.get(c)), { kind: 'trip', i });
      if (f) tripFeatures.push(f);
    });
    data.paths.forEach((p, i) => {
      p.stays.forEach((s) => used.add(s.cell));
      const f = sequenceFeature(p.stays.map((s) => cells.get(s.cell)), { kind: 'path', i });
      if (f) tripFeatures.push(f);
    });
    const placeCells = new Set<string>();
    for (const p of data.places) for (const c of [p.place, ...p.cells]) if (c) placeCells.add(c);

    const allSectors = sectorFeatures(cellsRes.cells);
    const usedSectors = sectorFeatures([...used].map((c) => cells.get(c)).filter((c): c is Cell => !!c));
    const placeSectors = sectorFeatures([...placeCells].map((c) => cells.get(c)).filter((c): c is Cell => !!c));

    const ready = new Promise<void>((resolve) => map.on('load', () => resolve()));
    await ready;
    if (boundaries) {
      map.addSource('boundaries', { type: 'geojson', data: boundaries });
      map.addLayer({ id: 'boundaries', type: 'line', source: 'boundaries', paint: { 'line-color': '#6c7a89', 'line-width': 0.7 } });
    }
    map.addSource('cells', { type: 'geojson', data: fc(allSectors) });
    map.addLayer({ id: 'cells', type: 'fill', source: 'cells', minzoom: 8, paint: { 'fill-color': '#7f8c8d', 'fill-opacity': 0.12 } });
    map.addSource('used', { type: 'geojson', data: fc(usedSectors) });
    map.addLayer({ id: 'used', type: 'fill', source: 'used', paint: { 'fill-color': '#d68910', 'fill-opacity': 0.35 } });
    map.addLayer({ id: 'used-outline', type: 'line', source: 'used', paint: { 'line-color': '#9c640c', 'line-width': 1 } });
    map.addSource('places', { type: 'geojson', data: fc(placeSectors) });
    map.addLayer({ id: 'places', type: 'fill', source: 'places', paint: { 'fill-color': '#1f7a8c', 'fill-opacity': 0.5 } });
    map.addSource('trips', { type: 'geojson', data: fc(tripFeatures) });
    map.addLayer({ id: 'trips', type: 'line', source: 'trips', paint: { 'line-color': ['match', ['get', 'kind'], 'trip', '#c0392b', '#1a5276'], 'line-width': 2.5, 'line-dasharray': [2, 1] } });
    map.on('click', 'used', (e: maplibregl.MapLayerMouseEvent) => {
      const cell = String(e.features?.[0]?.properties?.cell ?? '');
      new maplibregl.Popup().setLngLat(e.lngLat).setText(`Cell ${cell} (an area served by one mast sector)`).addTo(map);
    });

    const focus = (ids: string[]) => {
      const pts = ids.map((c) => cells.get(c)).filter((c): c is Cell => !!c);
      if (pts.length === 0) return;
      const b = new maplibregl.LngLatBounds();
      for (const c of pts) b.extend([c.lon, c.lat]);
      map.fitBounds(b, { padding: 60, maxZoom: 12, duration: 0 });
    };
    focus([...used, ...placeCells]);

    const tripList = el('ol', { id: 'm-trips' }, ...data.trips.map((t) => {
      const b = el('button', { type: 'button' }, `${t.number}: ${fmtTime(t.at_utc)} to ${fmtTime(t.until_utc)}, ${t.cells.length} cells`);
      b.addEventListener('click', () => focus(t.cells));
      return el('li', { 'data-kind': 'trip' }, b);
    }));
    const pathList = el('ol', { id: 'm-paths' }, ...data.paths.map((p) => {
      const known = p.stays.filter((s) => s.known).length;
      const b = el('button', { type: 'button' }, `${p.number}${p.role ? ` (${p.role.replace('_', ' ')})` : ''}: ${p.stays.length} stays in ${new Set(p.stays.map((s) => s.cell)).size} cells${known < p.stays.length ? `, ${p.stays.length - known} in cells not in the cell list` : ''}`);
      b.addEventListener('click', () => focus(p.stays.map((s) => s.cell)));
      return el('li', { 'data-kind': 'path' }, b);
    }));
    const placeList = el('ol', { id: 'm-places' }, ...data.places.map((p) => {
      const b = el('button', { type: 'button' }, `Home of ${p.resident} (victim) in cell ${p.place ?? '?'}: ${fmtTime(p.at_utc)} to ${fmtTime(p.until_utc)}`);
      b.addEventListener('click', () => focus([p.place ?? '', ...p.cells]));
      return el('li', { 'data-kind': 'place' }, b);
    }));
    side.replaceChildren(
      el('h2', {}, `Trips (${data.trips.length})`),
      data.trips.length ? tripList : el('p', { class: 'muted' }, 'No trips found by the analysis for this selection.'),
      el('h2', {}, `Cell paths (${data.paths.length})`),
      el('p', { class: 'muted' }, 'The cells a phone used, in order (dashed blue).'),
      data.paths.length ? pathList : el('p', { class: 'muted' }, 'Choose a line or a number.'),
      el('h2', {}, `Cuckooed places (${data.places.length})`),
      data.places.length ? placeList : el('p', { class: 'muted' }, 'None found for this selection.'),
    );
    mapBox.dataset.trips = String(data.trips.length + data.paths.length);
    await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('idle', () => resolve())));
    mapBox.dataset.ready = 'true';
    const stop = () => {
      map.remove();
      window.removeEventListener('hashchange', stop);
    };
    window.addEventListener('hashchange', stop);
}
