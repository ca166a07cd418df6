// Entry point: registers the analyst pages (in navigation order), then the operations
// pages, and starts routing.
import './style.css';
import { start } from './shell.ts';
import './pages/lines.ts';
import './pages/line.ts';
import './pages/lazy.ts';
import './pages/safeguarding.ts';
import './pages/search.ts';
import './ops/index.ts';

start();
