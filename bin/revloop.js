#!/usr/bin/env node
// Entry for `npx revloop` / the `revloop` bin. Runs the TypeScript CLI with Node's type stripping (Node >= 22.12).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`revloop needs Node >= 22.12 (this is ${process.version}). Run it through npm (npm start / npx revloop) so the bundled Node 24 is used.`);
  process.exit(1);
}
await import('../src/cli/main.ts');
