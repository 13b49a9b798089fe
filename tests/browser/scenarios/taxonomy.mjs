// Categories, tags and website links (/admin/chuyen-muc, /admin/the,
// /admin/lien-ket) as an editor, and what the public site shows after each change.
import { check, unique } from './lib.mjs';

// Category names in the public menu, in order (without "Trang chủ" and the
// fixed links of the collection, exhibitions and publications, which are no categories).
async function publicMenu(t, page) {
  await t.visit(page, '/', 'public-menu');
  return page.locator('nav.site-nav li:not(.nav-fixed) a[href]:not([href="/"])').evaluateAll((as) =>
    as.map((a) => a.textContent.trim()));
}

async function adminNames(page) {
  return page.locator('ol.tax-list li.tax-item .tax-name').evaluateAll((els) =>
    els.map((e) => e.textContent.trim()));
}

// Tall enough that a drag never scrolls (a scroll in the middle of a drag
// would start it from whatever is under the pointer then).
const TALL = { viewport: { width: 1280, height: 2400 } };

async function sidebarLinks(t, page) {
  await t.visit(page, '/', 'public-sidebar');
  return page.locator('aside.sidebar a[href^="http"]').evaluateAll((as) =>
    as.map((a) => ({ title: a.textContent.trim(), url: a.getAttribute('href') })));
}

export const scenarios = [
  {
    name: 'taxonomy: a new category in the site menu, renamed, moved, dragged, deleted',
    timeout: 60000,
    async run(t) {
      const reader = await t.newPage();
      const before = await publicMenu(t, reader);
      const ed = await t.loggedIn('bientap', TALL);
      await t.submit(ed, ed.locator('nav.admin-nav').getByRole('link', { name: 'Chuyên mục' }), 'categories');
      const name = `Di sản số ${unique('')}`;
      await ed.getByLabel('Tên chuyên mục').fill(name);
      await t.submit(ed, ed.getByRole('button', { name: 'Thêm chuyên mục' }), 'added');
      await ed.getByRole('status').filter({ hasText: 'Đã thêm chuyên mục.' }).waitFor();
      check((await adminNames(ed)).at(-1) === name, 'the new category is not last in the list');
      check(JSON.stringify(await publicMenu(t, reader)) === JSON.stringify([...before, name]),
        'the new category is not last in the site menu');
      await t.submit(reader, reader.locator('nav.site-nav').getByRole('link', { name }), 'category-page');
      check((await reader.locator('main h1').first().innerText()).includes(name), 'category page heading');

      // Rename.
      const item = (n) => ed.locator('ol.tax-list li.tax-item').filter({ hasText: n });
      // "Sửa", "Xóa" carry the name in a visually hidden span: the item's own buttons.
      await t.submit(ed, item(name).getByRole('link', { name: /^Sửa/ }), 'edit');
      const renamed = `${name} mới`;
      await ed.getByLabel('Tên chuyên mục').fill(renamed);
      await t.submit(ed, ed.getByRole('button', { name: 'Lưu' }), 'renamed');
      await ed.getByRole('status').filter({ hasText: 'Đã lưu chuyên mục.' }).waitFor();
      check((await adminNames(ed)).includes(renamed), 'renamed category not listed');

      // The up arrow: one place earlier.
      await t.submit(ed, ed.getByRole('button', { name: `Chuyển lên: ${renamed}` }), 'moved-up');
      let names = await adminNames(ed);
      check(names.at(-2) === renamed, `after "up": ${names.join(' | ')}`);
      // Drag and drop (taxonomy.js posts the new order): to the top.
      await Promise.all([
        ed.waitForNavigation({ waitUntil: 'load' }),
        item(renamed).locator('.tax-handle').dragTo(item(names[0]),
          { targetPosition: { x: 20, y: 5 } }),
      ]);
      await t.shot(ed, 'dragged');
      names = await adminNames(ed);
      check(names[0] === renamed, `after dragging to the top: ${names.join(' | ')}`);
      check((await publicMenu(t, reader))[0] === renamed, 'the site menu does not follow the new order');

      // Delete, after the confirmation.
      await t.submit(ed, item(renamed).getByRole('button', { name: /^Xóa/ }), 'deleted');
      check(t.dialogs.includes('Xóa chuyên mục này?'), `no confirmation asked: ${t.dialogs}`);
      await ed.getByRole('status').filter({ hasText: 'Đã xóa chuyên mục.' }).waitFor();
      const after = await publicMenu(t, reader);
      check(!after.includes(renamed), 'a deleted category is still in the site menu');
      check(after.length === before.length, `site menu: ${after.join(' | ')}`);
    },
  },
  {
    name: 'taxonomy: rename a tag, the article shows the new name',
    async run(t) {
      const ed = await t.loggedIn('bientap');
      await t.submit(ed, ed.locator('nav.admin-nav').getByRole('link', { name: 'Thẻ' }), 'tags');
      await ed.getByLabel('Tìm thẻ').fill('di tích');
      await t.submit(ed, ed.getByRole('button', { name: 'Tìm', exact: true }), 'search');
      const row = ed.locator('table.tax-tags tbody tr').first();
      const old = (await row.locator('.tax-name').innerText()).trim();
      check(/di tích/i.test(old), `search for "di tích" found "${old}"`);
      await t.submit(ed, row.getByRole('link', { name: /^Sửa/ }), 'edit-tag');
      const name = `Di tích ${unique('')}`;
      const rename = ed.locator('form').filter({ has: ed.getByLabel('Tên thẻ', { exact: true }) });
      await rename.getByLabel('Tên thẻ', { exact: true }).fill(name);
      await t.submit(ed, rename.getByRole('button', { name: 'Lưu' }), 'renamed');
      await ed.getByRole('status').filter({ hasText: 'Đã đổi tên thẻ.' }).waitFor();
      check(await ed.locator('table.tax-tags .tax-name').filter({ hasText: name }).count() === 1,
        'the renamed tag is not listed');
      // The public tag search and an article carrying it show the new name.
      const reader = await t.newPage();
      const api = await (await reader.request.get(t.url('/api/v1/articles'))).json();
      let shown = false;
      for (const a of api.items.slice(0, 20)) {
        await t.visit(reader, new URL(a.url).pathname, 'article');
        if (await reader.getByText(name, { exact: true }).count() > 0) {
          shown = true;
          break;
        }
      }
      check(shown, `no article page shows the tag "${name}"`);
      check(await reader.getByText(old, { exact: true }).count() === 0, 'the old tag name is still shown');
      await t.shot(reader, 'article-with-tag');
    },
  },
  {
    name: 'taxonomy: a website link added, moved to the top, removed',
    async run(t) {
      const reader = await t.newPage();
      const before = await sidebarLinks(t, reader);
      check(before.length >= 2, 'the sidebar has fewer than two links');
      const ed = await t.loggedIn('bientap', TALL);
      await t.submit(ed, ed.locator('nav.admin-nav').getByRole('link', { name: 'Liên kết website' }), 'links');
      const title = `Bảo tàng Dân tộc học ${unique('')}`;
      await ed.getByLabel('Tên liên kết').fill(title);
      await ed.getByLabel('Địa chỉ').fill('https://www.vme.org.vn/vi');
      await t.submit(ed, ed.getByRole('button', { name: 'Thêm liên kết' }), 'added');
      await ed.getByRole('status').filter({ hasText: 'Đã thêm liên kết.' }).waitFor();
      let links = await sidebarLinks(t, reader);
      check(links.at(-1)?.title === title && links.at(-1)?.url === 'https://www.vme.org.vn/vi',
        'the new link is not last in the sidebar');
      // Drag it to the top.
      const item = (n) => ed.locator('ol.tax-list li.tax-item').filter({ hasText: n });
      const first = (await adminNames(ed))[0];
      await Promise.all([
        ed.waitForNavigation({ waitUntil: 'load' }),
        item(title).locator('.tax-handle').dragTo(item(first), { targetPosition: { x: 20, y: 5 } }),
      ]);
      await t.shot(ed, 'dragged');
      check((await adminNames(ed))[0] === title, 'the dragged link is not first');
      links = await sidebarLinks(t, reader);
      check(links[0].title === title, 'the sidebar does not follow the new order');
      await t.submit(ed, item(title).getByRole('button', { name: /^Xóa/ }), 'removed');
      check(t.dialogs.includes('Xóa liên kết này?'), `no confirmation asked: ${t.dialogs}`);
      await ed.getByRole('status').filter({ hasText: 'Đã xóa liên kết.' }).waitFor();
      links = await sidebarLinks(t, reader);
      check(JSON.stringify(links) === JSON.stringify(before), 'the sidebar is not as before');
    },
  },
];
