// Page weight on a phone (issue 17): what a reader on a cheap phone downloads
// the first time they open the home page, a category listing, the seed
// article and a search page. Chromium with a phone's screen (390 x 844 CSS
// pixels, 3 device pixels per CSS pixel, so srcset picks the large
// variants), an empty cache (a context of its own per page), and the bytes
// counted as they came over the wire: Network.loadingFinished's
// encodedDataLength from the DevTools protocol (headers and body, after any
// Content-Encoding), for every request the page made until the network has
// been quiet. Pictures below the fold are lazy and are not counted unless the
// browser fetches them at load. Over its budget a page fails, with its
// heaviest requests named.
import { check } from './lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true,
  hasTouch: true };

// Bytes, first visit. The home page's is the target; the others are
// set from what the pages hold (figures in bench/README.md).
export const BUDGETS = {
  home: 300 * 1024,
  listing: 300 * 1024,
  article: 150 * 1024,
  // The seed article read to its end: its three pictures placed in the text
  // (issue 17 measured 1.67 MB of them, sent as originals) come in too.
  'article read to the end': 350 * 1024,
  search: 150 * 1024,
};

// Scrolls the page to its end a screen at a time, so lazy pictures load.
async function readToEnd(page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
}

async function weigh(t, path, step, scroll = false) {
  const context = await t.newContext(PHONE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const urls = new Map();
  const sizes = [];
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId) ?? '?';
    if (!url.startsWith('data:'))
      sizes.push({ url, bytes: e.encodedDataLength });
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await t.visit(page, path, step);
  await page.waitForLoadState('networkidle');
  if (scroll) {
    await readToEnd(page);
    await page.waitForLoadState('networkidle');
  }
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  await context.close();
  return { total, sizes: sizes.sort((a, b) => b.bytes - a.bytes) };
}

function within(name, w) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const heaviest = w.sizes.slice(0, 5).map((s) => `${new URL(s.url).pathname} ${kb(s.bytes)}`);
  console.log(`     weight ${name}: ${kb(w.total)} in ${w.sizes.length} requests` +
    ` (budget ${kb(BUDGETS[name])}); heaviest: ${heaviest.join(', ')}`);
  check(w.total <= BUDGETS[name], `${name} weighs ${kb(w.total)} on a phone, over its budget of` +
    ` ${kb(BUDGETS[name])}; heaviest: ${heaviest.join(', ')}`);
}

export const scenarios = [
  {
    name: 'weight: home, listing, article and search on a phone, first visit',
    timeout: 90000,
    async run(t) {
      // The seed article, found on the home page by its title (other scenarios
      // may have published newer articles that now lead); the listing is its
      // category.
      const probe = await t.newPage();
      await t.visit(probe, '/', 'weight-probe');
      const lead = await probe.locator('main a[href]')
        .filter({ hasText: 'Hội nghị triển khai nhiệm vụ công tác năm 2021' })
        .evaluateAll((as) => as.map((a) => new URL(a.href).pathname)
          .find((p) => /^\/[a-z0-9-]+\/[a-z0-9-]+-\d+$/.test(p)));
      check(lead, 'the home page links no seed article');
      const listing = '/' + lead.split('/')[1];
      const pages = { home: '/', listing, article: lead, 'article read to the end': lead,
        search: '/tim-kiem?q=dien+bien+phu' };
      const failures = [];
      for (const [name, path] of Object.entries(pages)) {
        const w = await weigh(t, path, `weight-${name}`, name.includes('end'));
        if (name.includes('end'))
          check(w.sizes.filter((s) => s.url.includes('/media/')).length >= 3,
            'reading the seed article to its end loaded fewer than its three pictures');
        check(w.sizes.some((s) => new URL(s.url).pathname === path.split('?')[0]),
          `${name}: the page itself was not counted`);
        try {
          within(name, w);
        } catch (e) {
          failures.push(e.message);
        }
      }
      check(failures.length === 0, failures.join('; '));
    },
  },
];
