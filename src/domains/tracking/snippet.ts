// Serves the browser tracker (tracker/tracker.js, an ES module) as a classic script at /t.js, configured
// from its <script> tag:
//   <script async src="https://revloop.example.com/t.js" data-write-key="rlw_…"
//           data-require-consent="false" data-respect-dnt="true"></script>
// Calls made before it loads can be queued as window.revloop = [['identify', '42', {…}], …].
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TRACKER_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tracker', 'tracker.js');

const BOOT = `
var s = document.currentScript, d = (s && s.dataset) || {};
if (d.writeKey) {
  var rl = createTracker({ writeKey: d.writeKey, host: d.host || (s && s.src ? new URL(s.src).origin : location.origin),
    requireConsent: d.requireConsent === 'true', respectDnt: d.respectDnt === 'true', contentSelector: d.contentSelector });
  var pending = window.revloop;
  window.revloop = rl;
  if (Array.isArray(pending)) pending.forEach(function (c) { if (rl[c[0]]) rl[c[0]].apply(rl, c.slice(1)); });
  if (d.autoPage !== 'false') rl.page();
}`;

/** Drops whole-line comments and indentation (strings are never touched: only lines that are comments). */
export function compactScript(source: string): string {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line.startsWith('/*')) {
      if (!line.includes('*/')) inBlock = true;
      continue;
    }
    if (!line || line.startsWith('//')) continue;
    out.push(line);
  }
  return out.join('\n');
}

let cached: string | null = null;

/** The /t.js script: the tracker module as a classic script plus the boot code. */
export function trackerScript(): string {
  cached ??= `/* revloop tracker */(function(){'use strict';\n${compactScript(readFileSync(TRACKER_FILE, 'utf8')).replace(/^export function /m, 'function ')}\n${compactScript(BOOT)}\n})();\n`;
  return cached;
}
