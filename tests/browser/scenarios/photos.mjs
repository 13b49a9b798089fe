// The photos of an object card (/admin/so-dang-ky/ID/anh) as a person uses
// them: from the card to the photos page, two pictures ticked in the media
// library picker and added at once, reordered with the arrow button and by
// dragging (taxonomy.js posts the dragged order), the second one made the
// lead ("Ảnh đại diện"), and the card showing it first.
import fs from 'node:fs';
import path from 'node:path';

import { check, unique } from './lib.mjs';

// Tall enough that a drag never scrolls (see taxonomy.mjs).
const TALL = { viewport: { width: 1280, height: 2400 } };

// The chosen photos on the photos page, in order: [{id, lead}].
async function chosen(page) {
  return page.locator('ol.photo-list li.photo-item').evaluateAll((items) =>
    items.map((li) => ({ id: li.getAttribute('data-id'), lead: li.classList.contains('is-lead') })));
}

export const scenarios = [
  {
    name: 'photos: two pictures picked from the library, reordered, one made the lead, first on the card',
    timeout: 60000,
    async run(t) {
      const page = await t.loggedIn('quantri', TALL);
      await t.visit(page, '/admin/so-dang-ky', 'register');
      await t.submit(page, page.locator('table.admin-table tbody a').first(), 'card');
      const card = new URL(page.url()).pathname;
      check((await page.locator('main').innerText()).includes('Chưa có ảnh nào.'),
        'a demo card already has photos');
      await t.submit(page, page.getByRole('link', { name: 'Chọn và sắp xếp ảnh' }), 'photos');
      check(new URL(page.url()).pathname === `${card}/anh`, `photos page at ${page.url()}`);

      // Two pictures with different labels, ticked by their label's text.
      const boxes = page.locator('.photo-picker input[type=checkbox][name=media]:not([disabled])');
      const offered = await boxes.evaluateAll((els) => els.map((e) => ({
        id: e.value, label: e.closest('label').innerText.trim(),
      })));
      const a = offered[0];
      const b = offered.find((o) => o.label !== a.label);
      check(a && b, `the picker offers fewer than two pictures: ${JSON.stringify(offered)}`);
      await page.locator(`#pick-${a.id}`).check();
      await page.locator(`#pick-${b.id}`).check();
      await t.submit(page, page.getByRole('button', { name: 'Thêm ảnh đã chọn' }), 'added');
      await page.getByRole('status').filter({ hasText: 'Đã lưu ảnh của hiện vật.' }).waitFor();
      let list = await chosen(page);
      check(JSON.stringify(list) === JSON.stringify([{ id: a.id, lead: true }, { id: b.id, lead: false }]),
        `after adding: ${JSON.stringify(list)}`);

      // The arrow button (a plain form): b goes up.
      const item = (id) => page.locator(`ol.photo-list li.photo-item[data-id="${id}"]`);
      await t.submit(page, item(b.id).getByRole('button', { name: /^Chuyển lên/ }), 'moved-up');
      list = await chosen(page);
      check(list.map((x) => x.id).join() === [b.id, a.id].join(), `after "up": ${JSON.stringify(list)}`);
      // Dragging: a back to the top.
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        item(a.id).locator('.tax-handle').dragTo(item(b.id), { targetPosition: { x: 20, y: 5 } }),
      ]);
      await t.shot(page, 'dragged');
      list = await chosen(page);
      check(list.map((x) => x.id).join() === [a.id, b.id].join(), `after dragging: ${JSON.stringify(list)}`);

      // b, now second, becomes the lead; it stays second in the order.
      await t.submit(page, item(b.id).getByRole('button', { name: /^Đặt làm ảnh đại diện/ }), 'lead');
      list = await chosen(page);
      check(JSON.stringify(list) === JSON.stringify([{ id: a.id, lead: false }, { id: b.id, lead: true }]),
        `after marking the lead: ${JSON.stringify(list)}`);
      check((await item(b.id).innerText()).includes('Ảnh đại diện'), 'the lead is not marked on the page');

      // The card: the lead first, then the other.
      await t.submit(page, page.getByRole('link', { name: 'Về phiếu hiện vật' }), 'card-with-photos');
      const captions = await page.locator('ol.reg-photos figcaption').allInnerTexts();
      check(captions.length === 2, `the card shows ${captions.length} photos`);
      check(captions[0].startsWith('Ảnh đại diện') && captions[0].includes(b.label),
        `first on the card: ${captions[0]} (wanted the lead, ${b.label})`);
      check(captions[1].includes(a.label) && !captions[1].includes('Ảnh đại diện'),
        `second on the card: ${captions[1]}`);
      const shown = await page.locator('ol.reg-photos img').evaluateAll((imgs) =>
        imgs.map((i) => i.complete && i.naturalWidth > 0));
      check(shown.length === 2 && shown.every(Boolean), `the card's thumbnails did not load: ${shown}`);
    },
  },
  {
    name: 'photos: a curator uploads a new picture from the photos page without JavaScript; it becomes the lead',
    timeout: 60000,
    async run(t) {
      // An object of its own, taken in through the intake form.
      const page = await t.loggedIn('baotang', { javaScriptEnabled: false });
      const name = unique('Bi đông tải ảnh ');
      await t.visit(page, '/admin/so-dang-ky/nhap', 'intake');
      await page.locator('#k-name').fill(name);
      await page.locator('#r-date').fill('07/05/2021');
      await t.submit(page, page.locator('form.admin-form button[type="submit"]'), 'intake-done');
      await t.visit(page, `/admin/so-dang-ky?q=${encodeURIComponent(name)}`, 'found');
      await t.submit(page, page.locator('table.admin-table tbody a').first(), 'card');
      const card = new URL(page.url()).pathname;
      await t.submit(page, page.getByRole('link', { name: 'Chọn và sắp xếp ảnh' }), 'photos');
      // A demo picture (PNG) of the data directory, under a name of its own.
      const dir = path.join(t.server.data, 'media');
      const demo = fs.readdirSync(dir).find((f) => f.endsWith('.png'));
      check(demo, 'no demo PNG in the data directory');
      // A text file named .png: refused by the library's checks, the alt
      // text and credit typed kept.
      await page.getByLabel('Tệp ảnh', { exact: true }).setInputFiles({ name: `${unique('gia-')}.png`,
        mimeType: 'image/png', buffer: Buffer.from('Đây không phải là ảnh.\n'.repeat(50)) });
      await page.getByLabel('Mô tả ảnh (alt)', { exact: true }).fill('Bi đông, mặt trước');
      await page.getByLabel('Nguồn ảnh', { exact: true }).fill('Ảnh: Phòng Kiểm kê');
      await t.submit(page, page.getByRole('button', { name: 'Tải lên và thêm vào phiếu' }), 'refused', 400);
      await page.getByRole('alert').filter({ hasText: 'Không nhận tệp này.' }).waitFor();
      check(await page.getByLabel('Mô tả ảnh (alt)', { exact: true }).inputValue() === 'Bi đông, mặt trước', 'the alt typed was lost');
      check(await page.getByLabel('Nguồn ảnh', { exact: true }).inputValue() === 'Ảnh: Phòng Kiểm kê', 'the credit typed was lost');
      check((await chosen(page)).length === 0, 'a refused upload added a photo');
      await page.getByLabel('Tệp ảnh', { exact: true }).setInputFiles({ name: `${unique('bi-dong-')}.png`,
        mimeType: 'image/png', buffer: fs.readFileSync(path.join(dir, demo)) });
      await t.submit(page, page.getByRole('button', { name: 'Tải lên và thêm vào phiếu' }), 'uploaded');
      check(new URL(page.url()).pathname === `${card}/anh`, `after the upload: ${page.url()}`);
      await page.getByRole('status').filter({ hasText: 'Đã tải ảnh lên và thêm vào phiếu.' }).waitFor();
      const list = await chosen(page);
      check(list.length === 1 && list[0].lead, `after the upload: ${JSON.stringify(list)}`);
      await t.submit(page, page.getByRole('link', { name: 'Về phiếu hiện vật' }), 'card-with-photo');
      const captions = await page.locator('ol.reg-photos figcaption').allInnerTexts();
      check(captions.length === 1 && captions[0].startsWith('Ảnh đại diện') && captions[0].includes('Bi đông, mặt trước'),
        `the card shows ${JSON.stringify(captions)}`);
    },
  },
];
