// The deep-zoom viewer on a public object's page (/hien-vat/ID, the demo's
// first public object with a tiled photo): OpenSeadragon (from npm, copied
// into /static/vendor by `make vendor`) opens on the photo's IIIF info.json
// under the site's Content-Security-Policy (style-src 'self' and the hash of
// the one <style> OpenSeadragon adds, no 'unsafe-inline'), its tiles load
// (every /iiif/ answer 200), and zooming with the keyboard and with the
// "Phóng to" button asks for finer tiles. No CSP violation may be reported:
// the runner fails any scenario on one, and this one also listens itself.
// The test server keeps the default base_url (127.0.0.1:8080) while it
// listens elsewhere: deepzoom.js loads the tiles from the page's own origin
// whatever info.json's id says.
import { check, sleep } from './lib.mjs';

const JPG = /\/iiif\/\d+\/[^/]+\/[^/]+\/0\/default\.jpg$/;

// The first object of the collection's list whose page carries the viewer.
async function tiledObject(t, page) {
  await t.visit(page, '/hien-vat', 'collection');
  const links = await page.locator('main a[href^="/hien-vat/"]').evaluateAll((as) =>
    [...new Set(as.map((a) => a.getAttribute('href')).filter((h) => /^\/hien-vat\/\d+$/.test(h)))]);
  for (const href of links) {
    const r = await page.request.get(t.url(href));
    if ((await r.text()).includes('id="deepzoom-viewer"'))
      return href;
  }
  check(false, `no public object of the demo has a deep-zoom viewer (${links.length} looked at)`);
  return null;
}

async function fullyLoaded(page) {
  await page.waitForFunction(() => {
    const item = window.senDeepzoom && window.senDeepzoom.world.getItemAt(0);
    return item && item.getFullyLoaded();
  }, null, { timeout: 20000 });
}

async function zoom(page) {
  return page.evaluate(() => window.senDeepzoom.viewport.getZoom(true));
}

export const scenarios = [
  {
    name: 'deepzoom: the object page opens the viewer under the CSP, tiles load, keyboard and button zoom in',
    timeout: 90000,
    async run(t) {
      // A phone's width: the viewer first shows the photo (1200 pixels wide
      // in the demo) from a coarser level, so zooming in has finer tiles to ask for.
      const page = await t.newPage({ viewport: { width: 420, height: 860 }, isMobile: false });
      const href = await tiledObject(t, page);
      const iiif = [];
      const violations = [];
      page.on('response', (r) => {
        if (r.url().includes('/iiif/'))
          iiif.push({ url: r.url(), status: r.status() });
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error')
          violations.push(msg.text());
      });
      await page.exposeFunction('senViolation', (v) => violations.push(v));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          window.senViolation(`${e.violatedDirective}: ${e.blockedURI || 'inline'} ${e.sample || ''}`));
      });
      const r = await t.visit(page, href, 'object');
      const csp = r.headers()['content-security-policy'];
      check(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+';/.test(csp) && !csp.includes('unsafe-inline'),
        `the page's CSP is not style-src 'self' + one hash: ${csp}`);
      const box = page.locator('#deepzoom-viewer');
      await box.waitFor({ state: 'visible' });
      await page.waitForFunction(() => document.getElementById('deepzoom-viewer').getAttribute('data-state'),
        null, { timeout: 20000 });
      check(await box.getAttribute('data-state') === 'open', 'the viewer did not open its photo');
      await fullyLoaded(page);
      // OpenSeadragon's own <style> is there and applied (allowed by its hash).
      check(await page.evaluate(() => {
        const s = document.querySelector('style[data-openseadragon-mobile-css]');
        return s !== null && s.sheet !== null;
      }), "OpenSeadragon's style element is missing or was blocked");
      const first = iiif.filter((x) => JPG.test(x.url)).length;
      check(!iiif.some((x) => /\/(\d+),(\d+),(\d+),(\d+)\/\3,\4\/0\//.test(x.url)),
        'the phone-wide viewer began with full-resolution tiles: nothing finer to zoom to');
      check(first >= 1, `no tile was loaded: ${JSON.stringify(iiif.slice(0, 5))}`);
      check(iiif.some((x) => x.url.endsWith('/info.json')), 'info.json was not fetched');

      // The keyboard: focus the canvas, hold "=" (zoom in) until the photo is
      // a fifth larger (OpenSeadragon zooms on while the key is down).
      const z0 = await zoom(page);
      await page.locator('#deepzoom-viewer .openseadragon-canvas[tabindex="0"]').first().focus();
      await page.keyboard.down('Equal');
      const held = await page.waitForFunction((z) => window.senDeepzoom.viewport.getZoom(true) > z * 1.2,
        z0, { timeout: 20000 }).then(() => true, () => false);
      await page.keyboard.up('Equal');
      check(held, `holding "=" did not zoom in (${z0} then ${await zoom(page)})`);

      // The button, named in Vietnamese: clicked until the photo zooms no
      // further (the viewer's limit, past the photo's own pixels).
      const plus = page.locator('#deepzoom-viewer [title="Phóng to"]').first();
      check(await plus.count() === 1, 'no "Phóng to" button in the viewer');
      const z1 = await zoom(page);
      let grew = 0;
      for (let i = 0; i < 6; i++) {
        const before = await page.evaluate(() => window.senDeepzoom.viewport.getZoom(false));
        await plus.click();
        await sleep(300);
        if (await page.evaluate(() => window.senDeepzoom.viewport.getZoom(false)) <= before * 1.01)
          break;
        grew += 1;
      }
      check(grew >= 1, 'the "Phóng to" button did not zoom in');
      await page.waitForFunction((z) => window.senDeepzoom.viewport.getZoom(true) > z * 1.5, z1,
        { timeout: 20000 });
      await fullyLoaded(page);
      const jpgs = iiif.filter((x) => JPG.test(x.url));
      check(jpgs.length > first, `zooming in loaded no finer tile (${first} then ${jpgs.length})`);
      // A full-resolution tile: a region of the photo at its own size (x,y,w,h/w,h).
      check(jpgs.some((x) => /\/\d+,\d+,(\d+),(\d+)\/\1,\2\/0\//.test(x.url)),
        `no full-resolution tile was asked for: ${jpgs.slice(-3).map((x) => x.url).join(' ')}`);
      const bad = iiif.filter((x) => x.status !== 200);
      check(bad.length === 0, `IIIF answers not 200: ${JSON.stringify(bad.slice(0, 5))}`);
      check(violations.length === 0, `CSP violations or console errors: ${violations.join(' | ')}`);
      await t.shot(page, 'zoomed');

      // Without JavaScript the page still shows its lead picture, no empty viewer.
      const plain = await t.newPage({ javaScriptEnabled: false });
      await t.visit(plain, href, 'object-no-js');
      check(await plain.locator('.object-lead img').count() === 1, 'no lead picture without JavaScript');
      check(await plain.locator('#deepzoom-viewer').isHidden(), 'the empty viewer shows without JavaScript');
    },
  },
];
