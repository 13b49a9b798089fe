// The suite's own guards, checked against the Chromium and axe-core
// installed: if a new version reported CSP violations, page errors or
// accessibility violations differently, every other scenario would pass
// without noticing them.
import { check } from './lib.mjs';

export const scenarios = [
  {
    name: 'runner: a CSP violation, a page error and a missing picture are caught',
    async run(t) {
      const page = await t.newPage();
      await t.visit(page, '/admin/dang-nhap', 'guard');
      // What a template with inline script would do: blocked by the admin CSP.
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.inlineRan = true;';
        document.body.appendChild(s);
        const i = document.createElement('img');
        i.src = '/static/img/khong-co.png';
        document.body.appendChild(i);
        setTimeout(() => { throw new Error('lỗi thử'); }, 0);
      });
      // Each report comes on its own channel (console, page error, network)
      // and in no set order: wait for all three, not for a number of them
      // (Chromium may report the violation twice, once in its own words).
      const csp = (p) => p.startsWith('CSP violation') && /script-src/.test(p);
      const error = (p) => p.startsWith('JS error') && p.includes('lỗi thử');
      const picture = (p) => p.includes('/static/img/khong-co.png') && p.includes('404');
      const seen = await t.waitForProblems([csp, error, picture]);
      // Caused here on purpose: not failures of this scenario, even when a
      // copy comes late.
      t.expectProblems((p) => csp(p) || error(p) || picture(p));
      check(!(await page.evaluate(() => window.inlineRan === true)), 'inline script ran under the admin CSP');
      check(seen.some(csp), `no CSP violation reported: ${seen.join(' | ')}`);
      check(seen.some(error), `no page error reported: ${seen.join(' | ')}`);
      check(seen.some(picture), `no missing picture reported: ${seen.join(' | ')}`);
    },
  },
  {
    name: 'runner: an accessibility violation is caught',
    async run(t) {
      const page = await t.newPage();
      await t.visit(page, '/', 'guard');
      // A button without a name and a picture without alternative text.
      await page.evaluate(() => {
        const b = document.createElement('button');
        b.id = 'sen-guard-button';
        document.querySelector('main').appendChild(b);
        const i = document.createElement('img');
        i.id = 'sen-guard-img';
        i.src = '/static/img/logo.svg';
        document.querySelector('main').appendChild(i);
      });
      await t.checkAccessibility(page, true);
      const name = (p) => p.startsWith('accessibility button-name') && p.includes('#sen-guard-button');
      const alt = (p) => p.startsWith('accessibility image-alt') && p.includes('#sen-guard-img');
      const seen = [...t.problems];
      t.expectProblems((p) => name(p) || alt(p));
      check(seen.some(name), `no button-name violation reported: ${seen.join(' | ')}`);
      check(seen.some(alt), `no image-alt violation reported: ${seen.join(' | ')}`);
    },
  },
];
