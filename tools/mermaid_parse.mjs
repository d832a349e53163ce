// Parses Mermaid files with Mermaid's own parser, in jsdom (no browser), and prints one JSON
// line per file: {"file": ..., "ok": true, "type": "flowchart-v2"} or {"file": ..., "ok": false,
// "error": ...}. Needs the npm packages `mermaid` and `jsdom` on NODE_PATH or beside this
// script's working folder:
//
//   node tools/mermaid_parse.mjs a.mmd b.mmd ...
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// NODE_PATH is honoured by require, not by import: resolve the packages through require.
const require = createRequire(pathToFileURL(process.cwd() + '/'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve('mermaid')).href);
mermaid.initialize({ startOnLoad: false });

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const parsed = await mermaid.parse(readFileSync(file, 'utf8'));
    console.log(JSON.stringify({ file, ok: true, type: parsed.diagramType }));
  } catch (e) {
    failed = true;
    console.log(JSON.stringify({ file, ok: false, error: String(e.message || e) }));
  }
}
process.exit(failed ? 1 : 0);
