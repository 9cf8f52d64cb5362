// Opens a built Evidentia site in headless Chromium and checks what only a browser can:
//   - no console error (CSP violations included) and no failed request on any page;
//   - every internal href/src resolves to a file of the site;
//   - search finds a known evidence page by a distinctive term (when /search/ exists);
//   - axe-core reports no serious or critical violation on five kinds of page, in the
//     light and the dark colour scheme;
//   - screenshots of those pages, light and dark, for a person to look at.
//
// Usage: node run.mjs SITE_DIR [SCREENSHOT_DIR]
// Env: CHROMIUM (default /usr/bin/chromium), SEARCH_TERM and SEARCH_EXPECT (the term to
// type and the path of the page it must find).
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile, readdir, stat, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const site = path.resolve(process.argv[2] ?? 'public');
const shots = path.resolve(process.argv[3] ?? 'target/screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const searchTerm = process.env.SEARCH_TERM ?? 'gunicorn';
const searchExpect = process.env.SEARCH_EXPECT ?? 'evidence/tm-credit-scoring-api/';
const failures = [];
const fail = (what) => { failures.push(what); console.error(`FAIL ${what}`); };

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.mjs': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.wasm': 'application/wasm',
  '.xml': 'application/xml', '.txt': 'text/plain', '.csv': 'text/csv',
};

/** A plain static server, as a production host serves the site (no live reload). */
function serve(root) {
  const server = createServer(async (req, res) => {
    try {
      let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.join(root, rel);
      if (!file.startsWith(root)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function htmlFiles(dir, rel = '') {
  const out = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...await htmlFiles(dir, r));
    else if (e.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}

/** Every href/src of a page that stays inside the site must name a file of it. */
async function checkLinks(pages) {
  let count = 0;
  for (const page of pages) {
    const html = await readFile(path.join(site, page), 'utf8');
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const raw = m[1].replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');
      if (/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(raw) || raw === '') continue;
      let target = raw.split('#')[0].split('?')[0];
      try { target = decodeURIComponent(target); } catch { fail(`${page}: undecodable link ${raw}`); continue; }
      let file = target.startsWith('/')
        ? path.join(site, target)
        : path.join(site, path.dirname(page), target);
      if (target.endsWith('/')) file = path.join(file, 'index.html');
      count += 1;
      if (!existsSync(file) || (await stat(file)).isDirectory()) {
        fail(`${page}: link ${raw} leads to no file`);
      }
    }
  }
  return count;
}

async function firstPage(dir, prefer) {
  const base = path.join(site, dir);
  if (!existsSync(base)) return null;
  if (prefer && existsSync(path.join(base, prefer, 'index.html'))) return `${dir}/${prefer}/index.html`;
  for (const e of (await readdir(base, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory() && existsSync(path.join(base, e.name, 'index.html'))) return `${dir}/${e.name}/index.html`;
  }
  return null;
}

const pages = await htmlFiles(site);
if (pages.length === 0) { console.error(`no HTML pages under ${site}`); process.exit(2); }
const linkCount = await checkLinks(pages);
console.log(`links: ${linkCount} internal links on ${pages.length} pages checked`);

const server = await serve(site);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const started = Date.now();
try {
  // Console errors and failed requests, on every page, a few tabs at a time.
  const context = await browser.newContext();
  let next = 0;
  const worker = async () => {
    const tab = await context.newPage();
    let current = '';
    tab.on('console', (msg) => { if (msg.type() === 'error') fail(`${current}: console error: ${msg.text()}`); });
    tab.on('pageerror', (err) => fail(`${current}: uncaught ${err.message}`));
    // A request the next navigation cancels (the favicon, often) is not a failure; a
    // missing file is, and shows as a 404 response.
    tab.on('requestfailed', (r) => {
      const why = r.failure()?.errorText ?? '';
      if (!why.includes('ERR_ABORTED')) fail(`${current}: request failed: ${r.url()} (${why})`);
    });
    tab.on('response', (r) => { if (r.status() >= 400) fail(`${current}: ${r.status()} for ${r.url()}`); });
    while (next < pages.length) {
      current = pages[next++];
      await tab.goto(`${origin}/${current}`, { waitUntil: 'load' });
    }
    await tab.close();
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await context.close();
  console.log(`console: ${pages.length} pages opened in ${((Date.now() - started) / 1000).toFixed(1)}s`);

  // Search, where the site has a search page.
  if (existsSync(path.join(site, 'search', 'index.html'))) {
    const tab = await browser.newPage();
    tab.on('console', (msg) => { if (msg.type() === 'error') fail(`search: console error: ${msg.text()}`); });
    await tab.goto(`${origin}/search/index.html`, { waitUntil: 'load' });
    await tab.fill('#search-input', searchTerm);
    try {
      await tab.waitForFunction(
        (expect) => [...document.querySelectorAll('#search-results a')]
          .some((a) => new URL(a.href, location.href).pathname.includes(expect)),
        searchExpect, { timeout: 15000 });
      console.log(`search: "${searchTerm}" finds ${searchExpect}`);
    } catch {
      const got = await tab.$$eval('#search-results a', (as) => as.map((a) => a.getAttribute('href')));
      fail(`search: "${searchTerm}" does not find ${searchExpect} (results: ${JSON.stringify(got)})`);
    }
    await tab.close();
  } else {
    console.log('search: search page absent');
  }

  // axe-core and screenshots on five kinds of page, light and dark. axe is injected as
  // a script, which the pages' CSP forbids; this context alone bypasses it.
  const axePath = require.resolve('axe-core/axe.min.js');
  const named = {
    home: 'index.html',
    packet: await firstPage('packets', 'pkt-credit-scoring-rai'),
    learner: await firstPage('learners'),
    coverage: existsSync(path.join(site, 'coverage', 'index.html')) ? 'coverage/index.html' : null,
    evidence: await firstPage('evidence', 'tm-credit-scoring-api'),
  };
  await mkdir(shots, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    const ctx = await browser.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const tab = await ctx.newPage();
    for (const [name, rel] of Object.entries(named)) {
      if (!rel) { fail(`axe: the site has no ${name} page`); continue; }
      await tab.goto(`${origin}/${rel}`, { waitUntil: 'load' });
      await tab.screenshot({ path: path.join(shots, `${name}-${scheme}.png`), fullPage: false });
      await tab.addScriptTag({ path: axePath });
      const result = await tab.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      }));
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      for (const v of bad) {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ');
        fail(`axe (${scheme}) ${rel}: ${v.impact} ${v.id}: ${v.help} [${v.nodes.length} nodes: ${where}]`);
      }
      const minor = result.violations.filter((v) => !bad.includes(v)).map((v) => `${v.id} (${v.impact})`);
      console.log(`axe (${scheme}): ${rel}: ${bad.length} serious or critical; minor: ${minor.join(', ') || 'none'}`);
    }
    await ctx.close();
  }
  console.log(`screenshots: ${shots}`);
} finally {
  await browser.close();
  server.close();
}

if (failures.length) {
  console.error(`${failures.length} failure(s)`);
  process.exit(1);
}
console.log('browser checks passed');
