// Serves the reader rating widget (tracker/rating.js, an ES module) as a classic script at /rate.js, configured
// from its <script> tag (data-write-key, data-host, data-require-consent). Kept apart from /t.js so the tracker
// stays small; pages opt in with an element marked data-revloop-rating.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactScript } from '../tracking/snippet.ts';

export const RATING_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tracker', 'rating.js');

const BOOT = `
var s = document.currentScript, d = (s && s.dataset) || {};
if (d.writeKey) {
  var opts = { writeKey: d.writeKey, host: d.host || (s && s.src ? new URL(s.src).origin : location.origin), requireConsent: d.requireConsent === 'true' };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { mountAll(opts); });
  else mountAll(opts);
}`;

let cached: string | null = null;

export function ratingScript(): string {
  cached ??= `/* revloop rating widget */(function(){'use strict';\n${compactScript(readFileSync(RATING_FILE, 'utf8')).replace(/^export function /gm, 'function ')}\n${compactScript(BOOT)}\n})();\n`;
  return cached;
}
