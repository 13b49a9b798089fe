// The photos of an object card (/admin/so-dang-ky/ID/anh) as a person uses
// them: from the card to the photos page, two pictures ticked in the media
// library picker and added at once, reordered with the arrow button and by
// dragging (taxonomy.js posts the dragged order), the second one made the
// lead ("Ảnh đại diện"), and the card showing it first.
import { check } from './lib.mjs';

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
];
