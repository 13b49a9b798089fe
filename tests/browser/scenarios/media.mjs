// The media library (/admin/thu-vien) beyond the editorial scenario's upload:
// the form without JavaScript, a file that is not a picture, the search and
// type filter, editing and deleting an unused picture.
import fs from 'node:fs';
import path from 'node:path';

import { check, unique } from './lib.mjs';

export const scenarios = [
  {
    name: 'media: upload without JavaScript, a non-picture refused, search and filter, edit, delete',
    timeout: 60000,
    async run(t) {
      // A demo picture (PNG) from the data directory, under a name of its own.
      const dir = path.join(t.server.data, 'media');
      const demo = fs.readdirSync(dir).find((f) => f.endsWith('.png'));
      check(demo, 'no demo PNG in the data directory');
      const name = `${unique('anh-khong-js-')}.png`;
      const plain = await t.loggedIn('bientap', { javaScriptEnabled: false });
      await t.submit(plain, plain.locator('nav.admin-nav').getByRole('link', { name: 'Thư viện ảnh' }), 'library');
      await plain.getByLabel('Tệp ảnh').setInputFiles({ name, mimeType: 'image/png',
        buffer: fs.readFileSync(path.join(dir, demo)) });
      await plain.getByLabel('Mô tả ảnh (alt)').fill('Ảnh tải lên không cần JavaScript');
      await plain.getByLabel('Nguồn ảnh').fill('Ảnh: Phòng Trưng bày');
      await t.submit(plain, plain.getByRole('button', { name: 'Tải lên' }), 'uploaded-plain');
      check(/^\/admin\/thu-vien\/\d+$/.test(new URL(plain.url()).pathname), `after the upload: ${plain.url()}`);
      await plain.getByRole('status').filter({ hasText: 'Đã tải ảnh lên.' }).waitFor();
      check((await plain.locator('dd.media-name').innerText()).trim() === name, 'file name not shown');
      const itemUrl = new URL(plain.url()).pathname;

      // With JavaScript: a text file named .jpg is refused; the page and what was typed stay.
      const page = await t.loggedIn('bientap');
      await t.submit(page, page.locator('nav.admin-nav').getByRole('link', { name: 'Thư viện ảnh' }), 'library-js');
      const fake = `${unique('khong-phai-anh-')}.jpg`;
      await page.getByLabel('Tệp ảnh').setInputFiles({ name: fake, mimeType: 'image/jpeg',
        buffer: Buffer.from('Đây không phải là ảnh, chỉ là chữ.\n'.repeat(50)) });
      await page.getByLabel('Mô tả ảnh (alt)').fill('Tệp giả làm ảnh');
      await page.getByLabel('Nguồn ảnh').fill('Không rõ');
      await page.getByRole('button', { name: 'Tải lên' }).click();
      const status = page.locator('#media-status');
      await page.waitForFunction(() => {
        const s = document.getElementById('media-status');
        return s && s.textContent && !/Đang tải lên/.test(s.textContent);
      });
      const said = (await status.innerText()).trim();
      check(said.includes('Không nhận tệp này.'), `what the page says: "${said}"`);
      check(new URL(page.url()).pathname === '/admin/thu-vien', `the page changed: ${page.url()}`);
      check(await page.getByLabel('Mô tả ảnh (alt)').inputValue() === 'Tệp giả làm ảnh', 'alt text lost');
      check(await page.getByRole('button', { name: 'Tải lên' }).isEnabled(), 'the button stays disabled');
      await t.shot(page, 'refused');
      // In the library: the picture sent without JavaScript, not the refused file.
      await t.visit(page, '/admin/thu-vien', 'library-after');
      check(await page.locator('li.media-tile').filter({ hasText: name }).count() === 1,
        'the uploaded picture is not in the library');
      check(await page.locator('li.media-tile').filter({ hasText: fake }).count() === 0,
        'the refused file is in the library');
      // The search (alt text, credit, file name) and the type filter.
      const search = page.getByLabel('Tìm theo mô tả, nguồn, tên tệp');
      await search.fill('không cần JavaScript');
      await t.submit(page, page.locator('form.media-filter').getByRole('button', { name: 'Lọc' }), 'search');
      const tiles = page.locator('li.media-tile');
      check(await tiles.count() === 1 && (await tiles.first().innerText()).includes(name),
        `the search found ${await tiles.count()} pictures`);
      check(await search.inputValue() === 'không cần JavaScript', 'the search box lost its text');
      for (const [type, want] of [['png', 1], ['jpg', 0]]) {
        await page.getByLabel('Loại').selectOption(type);
        await t.submit(page, page.locator('form.media-filter').getByRole('button', { name: 'Lọc' }), `type-${type}`);
        check(await tiles.count() === want, `the search with type ${type} found ${await tiles.count()}`);
      }
      await t.submit(page, page.locator('form.media-filter').getByRole('link', { name: 'Bỏ lọc' }), 'reset');
      check(await tiles.count() > 1, 'reset does not show the whole library');
      // Its description and credit can be changed, then, unused, it can be deleted
      // (here without JavaScript).
      await t.visit(plain, itemUrl, 'unused-picture');
      const edit = plain.locator('form').filter({ has: plain.getByRole('button', { name: 'Lưu' }) });
      await edit.getByLabel('Mô tả ảnh (alt)').fill('Mô tả đã sửa cho ảnh');
      await edit.getByLabel('Nguồn ảnh').fill('Ảnh: Nguồn đã sửa');
      await t.submit(plain, edit.getByRole('button', { name: 'Lưu' }), 'edited');
      await plain.getByRole('status').filter({ hasText: 'Đã lưu mô tả và nguồn ảnh.' }).waitFor();
      check(await plain.getByLabel('Mô tả ảnh (alt)').inputValue() === 'Mô tả đã sửa cho ảnh', 'alt not saved');
      check(await plain.locator('figure.media-preview img').getAttribute('alt') === 'Mô tả đã sửa cho ảnh',
        'the preview does not carry the new alt');
      await t.submit(plain, plain.getByRole('button', { name: 'Xóa ảnh' }), 'deleted');
      await plain.getByRole('status').filter({ hasText: 'Đã xóa ảnh.' }).waitFor();
      check(await plain.locator('li.media-tile').filter({ hasText: name }).count() === 0,
        'a deleted picture is still in the library');
      await t.visit(plain, itemUrl, 'deleted-item', 404);
    },
  },
];
