#!/usr/bin/env node
// Browser tests of Sen: the real `sen` binary on a temporary data directory,
// driven in headless Chromium (Debian's /usr/bin/chromium) by playwright-core.
//
// Usage: node tests/browser/run.mjs PATH/TO/sen [NAME-SUBSTRING...]
// Environment:
//   SEN_BROWSER_ARTIFACTS  where screenshots go (default: the build dir's browser-artifacts/)
//   SEN_CHROMIUM           the browser (default /usr/bin/chromium)
//   SEN_BROWSER_ONLY       comma-separated name substrings (like the arguments)
//   SEN_BROWSER_FILES      comma-separated scenario files instead of all of scenarios/
//
// Each scenario (scenarios/*.mjs, `export const scenarios = [{name, run, timeout?,
// background?}]`, see README.md) gets fresh browser contexts, each with its own
// client address, and fails on any
// page JavaScript error, any Content-Security-Policy violation, any style
// sheet, script or picture that does not load, and any WCAG 2.1 A or AA
// violation that axe-core finds on a page it opens. Every back-office page a
// scenario visits is kept as a full-page screenshot; a failure also keeps the
// screenshot and HTML of each open page. A scenario that throws Skip (lib.mjs)
// is counted as skipped, with its reason. Closing line, for tests/run_all.py:
//   browser: N passed, N failed, N skipped
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { ACCOUNTS } from './scenarios/accounts.mjs';
import { Failure, Skip, check, sleep } from './scenarios/lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-dev-shm-usage'];
const DEFAULT_TIMEOUT_MS = 45000;  // one scenario, unless it says otherwise
const ACTION_TIMEOUT_MS = 10000;   // one click, fill or wait inside a scenario
const SUITE_FILES = ['runner.mjs', 'public.mjs', 'accessibility.mjs', 'admin.mjs',
  'editorial.mjs', 'media.mjs', 'moderation.mjs', 'taxonomy.mjs', 'print.mjs', 'register.mjs',
  'photos.mjs', 'exhibitions.mjs', 'labels.mjs', 'awards.mjs', 'weight.mjs', 'collection.mjs',
  'deepzoom.mjs'];

// axe-core from node_modules (package-lock.json), evaluated in the page
// through the DevTools protocol: no server outside, and no inline script
// for the page's Content-Security-Policy to block.
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// One check per kind of page and state: the path with numbers and article
// slugs folded, the names of the query parameters, the language.
const axeChecked = new Set();
function axeKey(url, lang) {
  const u = new URL(url);
  const p = u.pathname.replace(/\/[^/]*-\d+$/, '/ARTICLE').replace(/\d+/g, 'N');
  return `${lang}|${p}?${[...u.searchParams.keys()].sort().join('&')}`;
}
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(300);
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
    s.on('timeout', () => { s.destroy(); resolve(false); });
  });
}

// The server under test: `sen init --demo`, the accounts of scenarios/accounts.mjs,
// then `sen serve` with the CAPTCHA answer revealed and 127.0.0.1 trusted as a
// proxy, so that each scenario can come from an address of its own.
class Server {
  constructor(sen) {
    this.sen = sen;
    this.data = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-browser-'));
    this.env = { ...process.env, SEN_TEST_CAPTCHA_REVEAL: '1' };
    this.proc = null;
    this.exit = null;
  }

  run(args, input) {
    const r = spawnSync(this.sen, args, { env: this.env, input: input ?? '', encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
  }

  runAsync(args, input) {
    return new Promise((resolve, reject) => {
      const p = spawn(this.sen, args, { env: this.env, stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => { err += d; });
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve()
        : reject(new Error(`sen ${args.join(' ')} failed (${code}): ${err.trim()}`))));
      p.stdin.end(input ?? '');
    });
  }

  sen_(args, input) {
    const r = this.run([...args, '--data', this.data], input);
    if (r.status !== 0)
      throw new Failure(`sen ${args.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
    return r.stdout;
  }

  async start() {
    const r = this.run(['init', '--data', this.data, '--demo']);
    if (r.status !== 0)
      throw new Error(`sen init failed (${r.status}): ${r.stderr}`);
    // One Argon2id hash each: made side by side.
    await Promise.all(Object.entries(ACCOUNTS).map(([name, a]) => this.runAsync(
      ['user', 'add', name, '--role', a.role, '--display-name', a.display, '--data', this.data],
      a.password + '\n')));
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.logPath = path.join(this.data, 'server.log');
    const log = fs.openSync(this.logPath, 'w');
    this.proc = spawn(this.sen, ['serve', '--data', this.data, '--listen', `127.0.0.1:${this.port}`,
      '--set', 'server.trusted_proxy=127.0.0.1'], { env: this.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal };
      resolve(this.exit);
    }));
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      if (this.exit)
        throw new Error(`sen serve exited (${JSON.stringify(this.exit)}): ${this.logTail()}`);
      if (await canConnect(this.port))
        return;
      await sleep(50);
    }
    throw new Error('sen serve did not start listening');
  }

  logTail(lines = 30) {
    try {
      return fs.readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  // SIGTERM, then the exit status: a sanitizer report (leak, overflow) makes it non-zero.
  async stop() {
    if (!this.proc)
      return null;
    if (!this.exit) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20000);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exit;
  }

  remove() {
    fs.rmSync(this.data, { recursive: true, force: true });
  }
}

let addressCounter = 0;
function newAddress() {
  addressCounter += 1;
  return `10.77.${Math.floor(addressCounter / 250) % 250}.${(addressCounter % 250) + 1}`;
}

function safe(s) {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

// What a scenario sees: its pages, the server, and helpers that keep screenshots.
class Scenario {
  constructor(name, browser, server, artifacts) {
    this.name = name;
    this.browser = browser;
    this.server = server;
    this.base = server.base;
    this.artifacts = artifacts;
    this.contexts = [];
    this.pages = [];
    this.problems = [];  // JS errors, CSP violations, missing resources
    this.expected = [];  // tests of problems the scenario causes on purpose
    this.axeMs = 0;      // time spent in accessibility checks
    this.dialogs = [];   // messages of alert/confirm dialogs, all accepted
    this.step = 0;
  }

  url(p) {
    return p.startsWith('http') ? p : this.base + p;
  }

  // A fresh context (cookies of its own) coming from its own address.
  async newContext(options = {}) {
    const address = newAddress();
    const context = await this.browser.newContext({
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1280, height: 900 },
      extraHTTPHeaders: { 'X-Forwarded-For': address },
      ...options,
    });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS * 2);
    // Reported by the page itself, whatever Chromium writes to the console.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`[sen-csp] ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}` +
          ` at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
      });
    });
    context.on('page', (p) => this.watch(p));
    // No script can run in its pages, axe's included (the same kinds of
    // page are checked in the contexts with JavaScript).
    context.senNoScript = options.javaScriptEnabled === false;
    this.contexts.push(context);
    return context;
  }

  async newPage(options) {
    const context = await this.newContext(options);
    return context.newPage();
  }

  watch(page) {
    this.pages.push(page);
    page.on('pageerror', (err) => this.problems.push(`JS error on ${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('[sen-csp]') || /Content Security Policy/i.test(text))
        this.problems.push(`CSP violation on ${page.url()}: ${text}`);
    });
    page.on('response', (r) => {
      const type = r.request().resourceType();
      if (r.status() >= 400 && ['stylesheet', 'script', 'image', 'font'].includes(type))
        this.problems.push(`${type} ${r.url()} answered ${r.status()} on ${page.url()}`);
    });
    page.on('requestfailed', (req) => {
      const type = req.resourceType();
      const why = req.failure()?.errorText ?? '';
      if (['stylesheet', 'script', 'image', 'font'].includes(type) && !/ERR_ABORTED/.test(why))
        this.problems.push(`${type} ${req.url()} failed (${why}) on ${page.url()}`);
    });
    // Forms that ask "are you sure?" are answered yes, as a person would.
    page.on('dialog', (d) => {
      this.dialogs.push(d.message());
      d.accept().catch(() => {});
    });
  }

  // Problems for which `test(problem)` is true are caused on purpose: they
  // do not fail the scenario, whenever they are reported.
  expectProblems(test) {
    this.expected.push(test);
  }

  // Waits until every test finds its problem among those reported (or the
  // time runs out); returns the problems reported so far.
  async waitForProblems(tests, ms = 10000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && !tests.every((f) => this.problems.some(f)))
      await sleep(50);
    return [...this.problems];
  }

  async shot(page, step) {
    this.step += 1;
    const file = path.join(this.artifacts,
      `${safe(this.name)}--${String(this.step).padStart(2, '0')}-${safe(step)}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  isAdmin(page) {
    try {
      return new URL(page.url()).pathname.startsWith('/admin');
    } catch {
      return false;
    }
  }

  // Runs axe-core over the page as it is now (WCAG 2.1 A and AA); each
  // violation becomes a problem that names the rule and the elements. A
  // kind of page already checked in this run is skipped unless `again`.
  async checkAccessibility(page, again = false) {
    if (page.context().senNoScript)
      return;
    const lang = await page.evaluate(() => document.documentElement.lang || '');
    const key = axeKey(page.url(), lang);
    if (!again && axeChecked.has(key))
      return;
    axeChecked.add(key);
    const started = Date.now();
    try {
      await this.runAxe(page);
    } finally {
      this.axeMs += Date.now() - started;
    }
  }

  // One axe-core run over the page as it is; each violation becomes a problem.
  async runAxe(page) {
    if (!(await page.evaluate(() => typeof window.axe === 'object')))
      await page.evaluate(`${AXE_SOURCE}\n;0`);
    const violations = await page.evaluate(async (tags) => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
        summary: (v.nodes[0]?.failureSummary ?? '').split('\n').slice(1, 2).join('').trim(),
      }));
    }, AXE_TAGS);
    for (const v of violations)
      this.problems.push(`accessibility ${v.id} (${v.impact}) on ${page.url()}: ${v.help}; ` +
        `${v.targets.slice(0, 5).join(' | ')}${v.targets.length > 5 ? ` and ${v.targets.length - 5} more` : ''}` +
        (v.summary ? ` (${v.summary})` : ''));
  }

  // After a navigation: a screenshot of every back-office page, and the
  // accessibility check of a page not checked yet.
  async arrived(page, response, step, expect) {
    await page.waitForLoadState('load');
    if (this.isAdmin(page))
      await this.shot(page, step || new URL(page.url()).pathname);
    if ((response?.headers()['content-type'] ?? '').startsWith('text/html'))
      await this.checkAccessibility(page);
    const status = response ? response.status() : null;
    if (expect != null) {  // null: any status
      const ok = Array.isArray(expect) ? expect.includes(status) : status === expect;
      check(ok, `${page.url()}: status ${status}, expected ${expect}`);
    }
    return response;
  }

  // Opens a path; `expect` is the status wanted (default 200).
  async visit(page, p, step, expect = 200) {
    const response = await page.goto(this.url(p), { waitUntil: 'load' });
    return this.arrived(page, response, step, expect);
  }

  // Clicks something that loads a new page (a submit button, a link) and waits for it.
  async submit(page, locator, step, expect = 200) {
    const [response] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      locator.click(),
    ]);
    return this.arrived(page, response, step, expect);
  }

  // Logs in through the form at /admin/dang-nhap.
  async login(page, name, password, step = 'login', expect = 200) {
    const account = ACCOUNTS[name];
    await this.visit(page, '/admin/dang-nhap', `${step}-form`);
    await page.getByLabel(/Tên đăng nhập|Login name|User ?name/i).fill(name);
    await page.getByLabel(/Mật khẩu|Password/i).fill(password ?? account.password);
    return this.submit(page, page.locator('form[action="/admin/dang-nhap"] button[type="submit"]'),
      step, expect);
  }

  // A new page already logged in as name.
  async loggedIn(name, options) {
    const page = await this.newPage(options);
    await this.login(page, name);
    check(new URL(page.url()).pathname.startsWith('/admin') && !page.url().includes('dang-nhap'),
      `login as ${name} ended at ${page.url()}`);
    return page;
  }

  // Text of the page's main element.
  async mainText(page) {
    return page.locator('main').innerText();
  }

  async keepFailure() {
    let i = 0;
    for (const page of this.pages) {
      if (page.isClosed())
        continue;
      i += 1;
      const stem = path.join(this.artifacts, `${safe(this.name)}--FAIL-${i}`);
      try {
        await page.screenshot({ path: stem + '.png', fullPage: true, timeout: 5000 });
      } catch { /* the page may be gone with its context */ }
      try {
        fs.writeFileSync(stem + '.html', `<!-- ${page.url()} -->\n` + await page.content());
      } catch { /* idem */ }
    }
  }

  async close() {
    for (const c of this.contexts)
      await c.close().catch(() => {});
  }
}

async function loadScenarios() {
  const all = [];
  const files = process.env.SEN_BROWSER_FILES ? process.env.SEN_BROWSER_FILES.split(',') : SUITE_FILES;
  for (const file of files) {
    const full = path.resolve(HERE, 'scenarios', file);
    if (!fs.existsSync(full))
      continue;
    const mod = await import(full);
    for (const s of mod.scenarios ?? [])
      all.push({ ...s, file });
  }
  return all;
}

// Rejects after ms of the scenario's own time: the time excluded() reports
// (the accessibility checks, which the scenario does not do itself) is added
// to the budget as it is spent.
function withTimeout(promise, ms, name, excluded = () => 0) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      let granted = 0;
      const arm = (wait) => {
        timer = setTimeout(() => {
          const more = excluded() - granted;
          if (more <= 0) {
            reject(new Failure(`${name}: timed out after ${ms / 1000}s`));
            return;
          }
          granted += more;
          arm(more);
        }, wait);
      };
      arm(ms);
    }),
  ]);
}

async function runScenario(s, browser, server, artifacts, counts) {
  const t = new Scenario(s.name, browser, server, artifacts);
  const started = Date.now();
  let error = null;
  try {
    await withTimeout(s.run(t), s.timeout ?? DEFAULT_TIMEOUT_MS, s.name, () => t.axeMs);
    // Errors reported a moment after the last action still count.
    await sleep(50);
  } catch (e) {
    error = e;
  }
  t.problems = t.problems.filter((p) => !t.expected.some((f) => f(p)));
  if (!error && t.problems.length)
    error = new Failure(t.problems.join('\n     '));
  else if (error && t.problems.length)
    error.message += '\n     also: ' + t.problems.join('\n     ');
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (error instanceof Skip && !t.problems.length) {
    counts.skipped += 1;
    console.log(`skip ${s.name}: ${error.message} (${secs}s)`);
  } else if (error) {
    counts.failed += 1;
    const why = error instanceof Failure ? error.message
      : (error.message || String(error)).split('\n').slice(0, 6).join('\n     ');
    console.log(`FAIL ${s.name}: ${why} (${secs}s)`);
    await t.keepFailure();
  } else {
    counts.passed += 1;
    console.log(`ok   ${s.name} (${secs}s)`);
  }
  await t.close();
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 1) {
    console.error('usage: node run.mjs PATH/TO/sen [NAME-SUBSTRING...]');
    console.log('browser: 0 passed, 1 failed, 0 skipped');
    return 2;
  }
  const sen = path.resolve(args[0]);
  if (!fs.existsSync(sen)) {
    console.log(`FAIL setup: no sen binary at ${sen}`);
    console.log('browser: 0 passed, 1 failed, 0 skipped');
    return 1;
  }
  const only = [...args.slice(1), ...(process.env.SEN_BROWSER_ONLY || '').split(',').filter(Boolean)];
  const artifacts = path.resolve(process.env.SEN_BROWSER_ARTIFACTS ||
    path.join(path.dirname(sen), 'browser-artifacts'));
  fs.mkdirSync(artifacts, { recursive: true });
  for (const f of fs.readdirSync(artifacts))
    if (/\.(png|html)$/.test(f) || f === 'server.log')
      fs.rmSync(path.join(artifacts, f));

  const t0 = Date.now();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const scenarios = (await loadScenarios())
    .filter((s) => only.length === 0 || only.some((o) => s.name.toLowerCase().includes(o.toLowerCase())));

  const server = new Server(sen);
  let browser = null;
  let launching = null;
  try {
    launching = chromium.launch({
      executablePath: process.env.SEN_CHROMIUM || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    launching.catch(() => {});  // reported below, after the server's own errors
    await server.start();
    browser = await launching;
    const counts = { passed: 0, failed: 0, skipped: 0 };
    // Scenarios marked `background` (mostly waiting, e.g. for a scheduled
    // time) start first and run alongside the others, which run one by one.
    const background = scenarios.filter((s) => s.background)
      .map((s) => runScenario(s, browser, server, artifacts, counts));
    for (const s of scenarios.filter((x) => !x.background)) {
      await runScenario(s, browser, server, artifacts, counts);
      if (server.exit)
        break;
    }
    await Promise.all(background);
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
    if (server.exit) {
      console.log(`FAIL server: sen serve died (${JSON.stringify(server.exit)})\n${server.logTail()}`);
      failed += 1;
    }
  } catch (e) {
    failed += 1;
    console.log(`FAIL setup: ${e.message}`);
  } finally {
    if (!browser && launching)
      browser = await launching.catch(() => null);
    if (browser)
      await browser.close().catch(() => {});
    const exit = await server.stop();
    if (exit && exit.code !== 0) {
      failed += 1;
      console.log(`FAIL server exit: ${JSON.stringify(exit)} (sanitizer report?)\n${server.logTail(60)}`);
    }
    if (failed)
      fs.copyFileSync(server.logPath ?? '/dev/null', path.join(artifacts, 'server.log'));
    server.remove();
  }
  console.log(`screenshots: ${artifacts} (${((Date.now() - t0) / 1000).toFixed(1)}s in all)`);
  console.log(`browser: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.log(`FAIL runner: ${e.stack || e}`);
  console.log('browser: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
});
