// The online collection (/hien-vat): a visitor narrows the list by clicking
// facets, each facet's counts follow the others, a chosen filter is undone
// from its chip, the words are searched from the box, and an object opens;
// the same walk works with JavaScript off (links and a GET form only).
import { check } from './lib.mjs';

async function shown(page) {
  const text = await page.locator('.coll-count').innerText();
  return Number(text.match(/\d[\d.,]*/)[0].replace(/[.,]/g, ''));
}

async function counts(page, facet) {
  const texts = await page.locator(`[data-facet="${facet}"] .count`).allInnerTexts();
  return texts.map((s) => Number(s.replace(/\D/g, '')));
}

function sum(list) {
  return list.reduce((a, b) => a + b, 0);
}

async function walk(t, page, label) {
  await t.visit(page, '/', `${label}-home`);
  await t.submit(page, page.locator('nav.site-nav a[href="/hien-vat"]'), `${label}-collection`);
  const all = await shown(page);
  check(all === 10, `the demo shows ${all} public objects, not 10`);
  check(sum(await counts(page, 'chat-lieu')) === all, 'materials do not add up to the list');
  // Metal: the list shrinks to the facet's count, the modes count metal only.
  const metal = page.locator('[data-facet="chat-lieu"] a', { hasText: 'Kim loại' });
  const metalCount = Number((await metal.locator('.count').innerText()).replace(/\D/g, ''));
  await t.submit(page, metal, `${label}-metal`);
  check(new URL(page.url()).searchParams.get('chat-lieu') === 'KL', `URL ${page.url()} lacks chat-lieu=KL`);
  check(await shown(page) === metalCount, 'the list is not the facet\'s count');
  check(await page.locator('main .card-title').count() === metalCount, 'cards are not the count');
  check(sum(await counts(page, 'hinh-thuc')) === metalCount, 'modes are not counted within metal');
  check(sum(await counts(page, 'chat-lieu')) === all, 'the material facet lost its other values');
  // A second facet: both stay in the URL, the count is that mode's.
  const mode = page.locator('[data-facet="hinh-thuc"] a').first();
  const modeCount = Number((await mode.locator('.count').innerText()).replace(/\D/g, ''));
  await t.submit(page, mode, `${label}-metal-mode`);
  const url = new URL(page.url());
  check(url.searchParams.get('chat-lieu') === 'KL' && url.searchParams.get('hinh-thuc'),
    `URL ${page.url()} does not keep both filters`);
  check(await shown(page) === modeCount, 'two filters: the count is not the chosen mode\'s');
  // Undo the material from its chip: the mode stays.
  await t.submit(page, page.locator('.coll-chosen a', { hasText: 'Chất liệu' }), `${label}-mode`);
  const after = new URL(page.url());
  check(!after.searchParams.has('chat-lieu') && after.searchParams.has('hinh-thuc'),
    `removing the material left ${page.url()}`);
  // Words from the box, marks ignored, the mode kept.
  await page.locator('#hv-q').fill('mu coi');
  await t.submit(page, page.locator('form.coll-search button[type="submit"]'), `${label}-words`);
  check(new URL(page.url()).searchParams.get('q') === 'mu coi', 'the words are not in the URL');
  await t.submit(page, page.locator('.coll-chosen a', { hasText: 'Bỏ mọi bộ lọc' }), `${label}-clear`);
  await page.locator('#hv-q').fill('mu coi');
  await t.submit(page, page.locator('form.coll-search button[type="submit"]'), `${label}-words-only`);
  const titles = await page.locator('main .card-title').allInnerTexts();
  check(titles.length === 1 && titles[0].includes('Mũ cối'), `"mu coi" found ${JSON.stringify(titles)}`);
  // The object's page.
  await t.submit(page, page.locator('main .card-title a').first(), `${label}-object`);
  check((await page.locator('main h1').innerText()).includes('Mũ cối'), 'the object page is another');
  check(await page.locator('.object-fields dt', { hasText: 'Số đăng ký' }).count() === 1,
    'no registration number on the object page');
}

export const scenarios = [
  {
    name: 'collection: clicking facets narrows the list and the counts follow',
    async run(t) {
      await walk(t, await t.newPage(), 'js');
    },
  },
  {
    name: 'collection: the same walk without JavaScript',
    async run(t) {
      await walk(t, await t.newPage({ javaScriptEnabled: false }), 'nojs');
    },
  },
];
