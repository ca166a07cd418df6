// The network and map pages load on first visit: they carry the WebGL libraries, which the
// lines list and line pages do not need.
import { registerPage } from '../shell.ts';

registerPage('/network', 'Network', async (root, params) => (await import('./network.ts')).render(root, params), { nav: true });
registerPage('/map', 'Map', async (root, params) => (await import('./map.ts')).render(root, params), { nav: true });
