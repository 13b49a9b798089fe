// An exhibition as a curator builds it (/admin/trung-bay): a new one in the
// museum's hall, open since yesterday; an object found in the register by
// its name and put in with its order and labels, which moves it on its
// card into the hall; then the public page /trung-bay/ID shows it, linked
// to its page in the online collection.
import { check } from './lib.mjs';

function ddmmyyyy(offset) {
  const d = new Date(Date.now() + offset * 86400000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}`;
}

export const scenarios = [
  {
    name: 'exhibitions: a new exhibition, an object found in the register and put in, on the card and the public page',
    timeout: 120000, // the page's accessibility checks take most of it
    async run(t) {
      const page = await t.loggedIn('baotang');
      await t.visit(page, '/admin/trung-bay', 'exhibitions');
      await t.submit(page, page.getByRole('link', { name: 'Thêm cuộc trưng bày' }), 'new');
      await page.getByLabel('Tên cuộc trưng bày').fill('Hiện vật kể chuyện');
      await page.getByLabel('Loại hình').selectOption('chuyen_de');
      await page.getByLabel('Phòng trưng bày của bảo tàng').selectOption({ label: 'Nhà trưng bày chính' });
      await page.getByLabel('Ngày khai mạc').fill(ddmmyyyy(-1));
      await page.getByLabel('Ngày đóng cửa').fill(ddmmyyyy(30));
      await page.getByLabel('Công khai trên cổng thông tin').check();
      await t.submit(page, page.getByRole('button', { name: 'Thêm cuộc trưng bày' }), 'added');
      await page.getByRole('status').filter({ hasText: 'Đã thêm cuộc trưng bày.' }).waitFor();
      const url = new URL(page.url()).pathname;
      check(/^\/admin\/trung-bay\/\d+$/.test(url), `the new exhibition is at ${url}`);

      // Find an object by a word of its name, without its marks.
      await page.getByLabel('Tìm theo số hoặc tên hiện vật').fill('dep cao su');
      await t.submit(page, page.getByRole('button', { name: 'Tìm hiện vật' }), 'found');
      const found = page.locator('ul.exh-found li').filter({ hasText: 'Dép cao su' }).first();
      await found.waitFor();
      const number = (await found.locator('strong').innerText()).trim();
      await found.getByLabel('Nhãn tiếng Việt').fill('Dép cao su của bộ đội Cụ Hồ');
      await found.getByLabel('Nhãn tiếng Anh').fill('Rubber sandals of the soldiers');
      await t.submit(page, found.getByRole('button', { name: /^Thêm vào/ }), 'object-added');
      const row = page.locator('table.exh-objects tbody tr').filter({ hasText: number });
      check(await row.count() === 1, `the object ${number} is not listed once`);
      check((await row.locator('textarea[name=label_en]').inputValue()) === 'Rubber sandals of the soldiers',
        'the English label was not kept');
      check((await row.innerText()).includes('Có'), 'the object is not marked as in the venue');

      // Its card says it moved into the hall for the exhibition.
      await t.submit(page, row.getByRole('link', { name: number }), 'card');
      const card = await page.locator('main').innerText();
      check(card.includes('Nhà trưng bày chính'), 'the card does not say the object is in the hall');

      // The public page shows it, linked to the online collection.
      const visitor = await t.newPage();
      await t.visit(visitor, url.replace('/admin', ''), 'public');
      const link = visitor.locator('ol.exh-objects a').filter({ hasText: 'Dép cao su' });
      check(await link.count() >= 1, 'the public page does not show the object');
      check(/^\/hien-vat\/\d+$/.test(await link.first().getAttribute('href')),
        'the object does not link to its page in the online collection');
      check((await visitor.locator('main').innerText()).includes('Dép cao su của bộ đội Cụ Hồ'),
        'the public page does not show the label');
    },
  },
];
