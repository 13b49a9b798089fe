// QR exhibit labels (/admin/so-dang-ky/nhan) printed to PDF as a curator
// saves them from the print dialog: the register list's "In nhãn QR" button
// keeps its filter, "In nhãn mọi hiện vật trong danh sách" gives the sheet;
// the PDF is A4, eight labels a page (page count from pdfinfo), has every
// label's name and number (pdftotext), and every QR code on its pages reads
// back (pdftoppm, then zbarimg from zbar-tools) as the object's public URL.
import fs from 'node:fs';
import path from 'node:path';

import { check } from './lib.mjs';
import { a4, has, printed, run } from './print.mjs';

export const scenarios = [
  {
    name: 'labels: an A4 sheet of QR labels from the register list, the codes readable in the PDF',
    timeout: 120000,
    async run(t) {
      const page = await t.loggedIn('baotang');
      await t.visit(page, '/admin/so-dang-ky?trang-thai=main', 'list-main');
      await t.submit(page, page.getByRole('button', { name: 'In nhãn QR' }), 'labels-chooser');
      const chooser = new URL(page.url());
      check(chooser.pathname === '/admin/so-dang-ky/nhan', `label button went to ${page.url()}`);
      check(chooser.searchParams.get('trang-thai') === 'main', `filter not kept: ${page.url()}`);
      await t.submit(page, page.getByRole('button', { name: 'In nhãn mọi hiện vật trong danh sách' }),
        'labels-sheet');
      const labels = await page.locator('article.label').evaluateAll((els) => els.map((e) => ({
        name: e.querySelector('.label-name').textContent.trim(),
        url: e.querySelector('figcaption').textContent.trim(),
      })));
      check(labels.length >= 9, `only ${labels.length} labels: want more than one page`);
      const pdf = await printed(t, page, 'labels');
      a4(pdf, false, 'labels');
      const want = Math.ceil(labels.length / 8);
      check(pdf.pages === want, `labels: ${pdf.pages} page(s) for ${labels.length} labels, want ${want}`);
      has(pdf, ['Số đăng ký', 'Registration no.', ...labels.map((l) => l.name.slice(0, 12))], 'labels');
      check(!pdf.text.includes('Hiện vật không in nhãn'), 'labels: the screen-only list is printed');
      // Every QR code of the sheet, read from the printed pages.
      const prefix = path.join(t.artifacts, 'labels-page');
      run('pdftoppm', ['-r', '200', '-png', path.join(t.artifacts, 'print--labels.pdf'), prefix]);
      const images = fs.readdirSync(t.artifacts).filter((f) => f.startsWith('labels-page') && f.endsWith('.png'));
      check(images.length === want, `pdftoppm made ${images.length} page images`);
      const read = new Set();
      for (const img of images) {
        const out = run('zbarimg', ['--raw', '-q', path.join(t.artifacts, img)]);
        out.split('\n').filter(Boolean).forEach((u) => read.add(u.trim()));
      }
      const urls = new Set(labels.map((l) => l.url));
      check(read.size === urls.size && [...urls].every((u) => read.has(u)),
        `QR codes read ${read.size}, labels ${urls.size}: missing ${[...urls].filter((u) => !read.has(u)).slice(0, 3)}`);
      for (const u of urls)
        check(/^https?:\/\/[^/]+\/hien-vat\/\d+$/.test(u), `label URL ${u}`);
    },
  },
];
