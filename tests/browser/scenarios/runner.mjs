// The suite's own guards, checked against the Chromium installed: if a new
// version reported CSP violations or page errors differently, every other
// scenario would pass without noticing them.
import { check, sleep } from './lib.mjs';

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
      for (let i = 0; i < 40 && t.problems.length < 3; i++)
        await sleep(50);
      const seen = t.problems.splice(0);  // expected here: not failures of this scenario
      check(!(await page.evaluate(() => window.inlineRan === true)), 'inline script ran under the admin CSP');
      check(seen.some((p) => p.startsWith('CSP violation') && /script-src/.test(p)),
        `no CSP violation reported: ${seen.join(' | ')}`);
      check(seen.some((p) => p.startsWith('JS error') && p.includes('lỗi thử')),
        `no page error reported: ${seen.join(' | ')}`);
      check(seen.some((p) => p.includes('/static/img/khong-co.png') && p.includes('404')),
        `no missing picture reported: ${seen.join(' | ')}`);
    },
  },
];
