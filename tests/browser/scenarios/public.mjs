// The public site: home page, an article, a rating, a comment with the
// CAPTCHA, the language switch. The server runs with SEN_TEST_CAPTCHA_REVEAL=1,
// so each CAPTCHA picture carries its answer in X-Sen-Test-Answer.
import { check, sleep } from './lib.mjs';

// Article pages linked from the home page: [{path, title}], in page order.
export async function homeArticles(page) {
  const links = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => ({
    path: new URL(a.href).pathname, title: a.textContent.trim(),
  })));
  const seen = new Set();
  return links.filter((l) => /^\/[a-z0-9-]+\/[a-z0-9-]+-\d+$/.test(l.path) && l.title &&
    !seen.has(l.path) && seen.add(l.path));
}

export function articleId(path) {
  return Number(path.match(/-(\d+)$/)[1]);
}

// Opens the n-th article of the home page (each scenario its own: ratings and
// comments are counted per article).
export async function openArticle(t, page, n, step = 'article') {
  trackCaptcha(page);
  await t.visit(page, '/', 'home');
  const articles = await homeArticles(page);
  check(articles.length > n, `home page links ${articles.length} articles, wanted more than ${n}`);
  await t.visit(page, articles[n].path, step);
  return articles[n];
}

// Notes the answer of every CAPTCHA picture the page loads (the picture may
// load before the scenario looks at it).
export function trackCaptcha(page) {
  if (page.senCaptcha)
    return;
  page.senCaptcha = { n: 0, code: null, status: null };
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/ma-xac-thuc/') && r.request().resourceType() === 'image') {
      page.senCaptcha.n += 1;
      page.senCaptcha.status = r.status();
      page.senCaptcha.code = r.headers()['x-sen-test-answer'];
    }
  });
}

// The code of the CAPTCHA picture the browser shows: of a picture loaded
// after the since-th one (page.senCaptcha.n before the page or the action), or
// of the one an action (a click on "Mã khác") loads.
export async function captchaAnswer(page, { action, since = 0 } = {}) {
  const before = action ? page.senCaptcha.n : since;
  if (action)
    await action();
  await page.locator('[data-captcha-img]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-captcha-img]');
    return img && img.complete && img.naturalWidth > 0;
  });
  const deadline = Date.now() + 5000;
  while (page.senCaptcha.n <= before) {
    check(Date.now() < deadline, 'no CAPTCHA picture loaded');
    await sleep(20);
  }
  check(page.senCaptcha.status === 200, `CAPTCHA picture answered ${page.senCaptcha.status}`);
  const code = page.senCaptcha.code;
  check(/^[2-9A-HJKMNP-Z]{6}$/.test(code || ''), `no revealed CAPTCHA answer (got ${code})`);
  return code;
}

// A reader sends a comment on the article at path through the form; it then
// waits for moderation.
export async function commentOn(t, page, path, name, body) {
  trackCaptcha(page);
  const since = page.senCaptcha.n;
  await t.visit(page, path, 'comment-form');
  const loaded = Date.now();
  await page.getByLabel('Họ tên').fill(name);
  await page.getByLabel('Nội dung').fill(body);
  const code = await captchaAnswer(page, { since });
  await page.getByLabel('Mã xác thực').fill(code);
  await sleep(Math.max(0, 3300 - (Date.now() - loaded)));  // the minimum fill time
  await t.submit(page, page.getByRole('button', { name: 'Gửi bình luận' }), 'comment-sent');
  check(page.url().includes('binh-luan=cho-duyet'), `after sending a comment: ${page.url()}`);
}

async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

export const scenarios = [
  {
    name: 'public: home page lists articles with pictures',
    async run(t) {
      const page = await t.newPage();
      await t.visit(page, '/', 'home');
      await t.shot(page, 'home');
      check(await htmlLang(page) === 'vi', 'home page is not in Vietnamese');
      const articles = await homeArticles(page);
      check(articles.length >= 5, `home page links only ${articles.length} articles`);
      await page.getByRole('navigation').first().getByRole('link', { name: 'Trang chủ' }).waitFor();
      // The pictures shown are really loaded (a missing one also fails the scenario).
      const broken = await page.locator('main img').evaluateAll((imgs) => imgs
        .filter((i) => i.loading !== 'lazy' && (!i.complete || i.naturalWidth === 0)).map((i) => i.src));
      check(broken.length === 0, `pictures not shown: ${broken.join(', ')}`);
      // A category page, from the menu.
      const nav = page.locator('nav.site-nav a[href]:not([href="/"])').first();
      const label = (await nav.innerText()).trim();
      await t.submit(page, nav, 'category');
      check((await page.locator('main h1').first().innerText()).includes(label),
        `category page heading is not "${label}"`);
      check((await homeArticles(page)).length >= 1, 'category page lists no article');
      await t.shot(page, 'category');
    },
  },
  {
    name: 'public: article page from the home page',
    async run(t) {
      const page = await t.newPage();
      await t.visit(page, '/', 'home');
      const [first] = await homeArticles(page);
      const link = page.locator(`main a[href="${first.path}"]`).first();
      await t.submit(page, link, 'article');
      check(new URL(page.url()).pathname === first.path, `clicked ${first.path}, got ${page.url()}`);
      const h1 = (await page.locator('main h1').first().innerText()).trim();
      check(h1.length > 5, 'article has no heading');
      await page.locator('#danh-gia form.rating-form').waitFor();
      await page.locator('#binh-luan form.comment-form').waitFor();
      check(await page.getByRole('heading', { name: /Bình luận \(/ }).count() === 1,
        'no "Bình luận (N)" heading');
      await t.shot(page, 'article');
    },
  },
  {
    name: 'public: rate an article with a star',
    async run(t) {
      const page = await t.newPage();
      const a = await openArticle(t, page, 2);
      const before = await (await page.request.get(t.url(`/api/v1/articles/${articleId(a.path)}`))).json();
      // A click on the fourth star sends it at once (widgets.js, the JSON API).
      await page.locator('#danh-gia label', { hasText: '4 sao' }).click();
      await page.locator('[data-rating-message]').filter({ hasText: 'Cảm ơn bạn đã đánh giá.' }).waitFor();
      const summary = await page.locator('[data-rating-summary]').innerText();
      check(/lượt đánh giá: \d+, trung bình: \d,\d/.test(summary), `summary not updated: "${summary}"`);
      check(await page.locator('#danh-gia input[name="stars"]').first().isDisabled(),
        'stars still enabled after rating');
      await t.shot(page, 'rated');
      const after = await (await page.request.get(t.url(`/api/v1/articles/${articleId(a.path)}`))).json();
      check(after.rating.count === before.rating.count + 1,
        `rating count ${before.rating.count} -> ${after.rating.count}`);
      // Another reader, without JavaScript: the plain form posts and comes back.
      const plain = await t.newPage({ javaScriptEnabled: false });
      await t.visit(plain, a.path, 'plain');
      await plain.locator('#danh-gia label', { hasText: '5 sao' }).click();
      await t.submit(plain, plain.locator('#danh-gia button[type="submit"]'), 'plain-rated');
      check(plain.url().endsWith(`${a.path}?danh-gia=da-ghi#danh-gia`), `no-JS rating ended at ${plain.url()}`);
      await plain.locator('#danh-gia').getByText('Cảm ơn bạn đã đánh giá.').waitFor();
      const again = await (await page.request.get(t.url(`/api/v1/articles/${articleId(a.path)}`))).json();
      check(again.rating.count === before.rating.count + 2,
        `no-JS rating not counted: ${again.rating.count}`);
      await t.shot(plain, 'plain-rated');
    },
  },
  {
    name: 'public: comment with the CAPTCHA waits for moderation',
    async run(t) {
      const page = await t.newPage();
      const a = await openArticle(t, page, 3);
      const loaded = Date.now();
      const name = 'Người Đọc Trình Duyệt';
      await page.getByLabel('Họ tên').fill(name);
      await page.getByLabel('Nội dung').fill('Bài viết rất hay.\nCảm ơn bảo tàng!');
      let code = await captchaAnswer(page);
      // "Mã khác" draws a new picture (and code) without reloading the page.
      code = await captchaAnswer(page, { action: () => page.getByRole('link', { name: 'Mã khác' }).click() });
      // A wrong code first: refused next to the field, what was typed is kept.
      await page.getByLabel('Mã xác thực').fill(code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');
      await sleep(Math.max(0, 3300 - (Date.now() - loaded)));  // the minimum fill time
      const pictures = page.senCaptcha.n;
      await t.submit(page, page.getByRole('button', { name: 'Gửi bình luận' }), 'wrong-code', 422);
      await page.locator('#binh-luan-ma-loi').filter({ hasText: 'Mã xác thực không đúng.' }).waitFor();
      check(await page.getByLabel('Họ tên').inputValue() === name, 'name not kept after a refusal');
      await t.shot(page, 'wrong-code');
      // The refused page has a new picture: read it and send the right code.
      code = await captchaAnswer(page, { since: pictures });
      await page.getByLabel('Mã xác thực').fill(code.toLowerCase());
      await sleep(3300);
      await t.submit(page, page.getByRole('button', { name: 'Gửi bình luận' }), 'sent');
      check(page.url().includes('binh-luan=cho-duyet'), `after sending: ${page.url()}`);
      await page.getByText('Bình luận của bạn đang chờ duyệt.').waitFor();
      check(!(await t.mainText(page)).includes(name), 'a comment waiting for moderation is shown');
      await t.shot(page, 'sent');
      const list = t.server.sen_(['comments', 'list', '--status', 'all', '--article',
        String(articleId(a.path))]);
      check(list.includes(name), `comment not stored: ${list}`);
    },
  },
  {
    name: 'public: search from the header, without accents, then by category',
    async run(t) {
      const page = await t.newPage();
      await t.visit(page, '/', 'home');
      // Keyboard users reach the content first: the skip link is the first stop.
      await page.keyboard.press('Tab');
      check(await page.evaluate(() => document.activeElement?.getAttribute('href')) === '#noi-dung',
        'the first Tab does not reach the skip link');
      const box = page.locator('header form[role="search"] input[type="search"]');
      await box.fill('hien vat');
      await t.submit(page, page.locator('header form[role="search"] button[type="submit"]'), 'results');
      check(new URL(page.url()).pathname === '/tim-kiem', `search went to ${page.url()}`);
      const hits = page.locator('ol.search-results li.search-hit');
      const n = await hits.count();
      check(n >= 2, `"hien vat" found ${n} articles`);
      check(await page.locator('ol.search-results mark').filter({ hasText: /hiện vật/i }).count() >= 1,
        'the accented words are not highlighted');
      await t.shot(page, 'results');
      // Narrowed to the category of the first hit, from the search page's own form.
      const before = (await page.locator('ol.search-results .kicker').allInnerTexts()).map((k) => k.trim());
      const category = before[0];
      check(before.some((k) => k !== category), `every hit is in ${category}: nothing to filter`);
      await page.locator('form.search-form select[name="chuyen-muc"]').selectOption({ label: category });
      await t.submit(page, page.locator('form.search-form button[type="submit"]'), 'by-category');
      const kickers = (await page.locator('ol.search-results .kicker').allInnerTexts()).map((k) => k.trim());
      check(kickers.length >= 1 && kickers.every((k) => k === category),
        `filtered by ${category}: ${kickers.join(', ')}`);
      await t.submit(page, page.locator('ol.search-results li.search-hit h2 a').first(), 'hit');
      check(/^\/[a-z0-9-]+\/[a-z0-9-]+-\d+$/.test(new URL(page.url()).pathname), `a hit led to ${page.url()}`);
    },
  },
  {
    name: 'public: language switch to English and back',
    async run(t) {
      const page = await t.newPage();
      await t.visit(page, '/', 'home');
      await t.submit(page, page.locator('.lang-switch').getByRole('link', { name: 'English' }), 'en');
      check(await htmlLang(page) === 'en', 'not English after the switch');
      await page.locator('nav.site-nav').getByRole('link', { name: 'Home' }).waitFor();
      await t.shot(page, 'home-en');
      // The choice is remembered (a cookie): another page stays in English.
      const [first] = await homeArticles(page);
      await t.visit(page, first.path, 'article-en');
      check(await htmlLang(page) === 'en', 'article page is not English');
      await t.submit(page, page.locator('.lang-switch').getByRole('link', { name: 'Tiếng Việt' }), 'vi');
      check(await htmlLang(page) === 'vi', 'not Vietnamese after switching back');
      await t.visit(page, '/', 'home-vi');
      check(await htmlLang(page) === 'vi', 'home page not Vietnamese');
      await page.locator('nav.site-nav').getByRole('link', { name: 'Trang chủ' }).waitFor();
      await t.shot(page, 'home-vi');
    },
  },
  {
    name: 'public: in English the rating and comment scripts speak English',
    async run(t) {
      const page = await t.newPage();
      await t.visit(page, '/?lang=en', 'home-en');
      const articles = await homeArticles(page);
      check(articles.length > 7, 'too few articles on the English home page');
      await t.visit(page, articles[7].path, 'article-en');
      check(await htmlLang(page) === 'en', 'the article is not in English');
      await page.locator('#danh-gia label[for$="-5"]').click();
      await page.locator('[data-rating-message]').filter({ hasText: 'Thank you for rating this article.' }).waitFor();
      const summary = (await page.locator('[data-rating-summary]').innerText()).trim();
      check(/^Rating: votes: \d+, average: \d\.\d$/.test(summary), `English summary: "${summary}"`);
      // The character counter of the comment box.
      await page.getByRole('textbox', { name: /^Comment \(/ }).fill('Thank you, museum!');
      const hint = (await page.locator('[data-comment-count]').innerText()).trim();
      check(hint.endsWith('18 characters typed.'), `English counter: "${hint}"`);
      await t.shot(page, 'article-en');
    },
  },
];
