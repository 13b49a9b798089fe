// The register's printed books, printed to PDF by Chromium the way a person
// saves them from the print dialog: page.pdf with the page's own @page size
// (preferCSSPageSize) and no header or footer template, so the page numbers
// ("Trang X / Y") come from the print style sheet alone. The PDF is read back
// with poppler's pdftotext and pdfinfo (poppler-utils, in the Makefile's
// test packages): text, Vietnamese marks, page size and page count.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { check, unique } from './lib.mjs';

export function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  check(!r.error, `${cmd} cannot run (${r.error && r.error.message}): install poppler-utils (make test-deps)`);
  check(r.status === 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// Runs one SQL statement on the server's database (python3's sqlite3: the
// back office cannot choose an object's photos yet).
function sql(t, statement, params) {
  run('python3', ['-c', 'import sqlite3, sys, json\n'
    + 'db = sqlite3.connect(sys.argv[1])\nwith db: db.execute(sys.argv[2], json.loads(sys.argv[3]))',
  path.join(t.server.data, 'sen.db'), statement, JSON.stringify(params)]);
}

// Prints the page to BUILD/browser-artifacts/NAME.pdf; {text, pages, size}.
export async function printed(t, page, name) {
  const file = path.join(t.artifacts, `print--${name}.pdf`);
  fs.writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const info = run('pdfinfo', [file]);
  const pages = Number((/^Pages:\s+(\d+)/m.exec(info) || [])[1]);
  const size = (/^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info) || []).slice(1).map(Number);
  return { text: run('pdftotext', ['-enc', 'UTF-8', file, '-']), pages, size };
}

// Every page carries "Trang X / N" (in English "Page X / N") with N the
// PDF's own page count.
function numbered(pdf, what, word = 'Trang') {
  check(pdf.pages >= 1, `${what}: pdfinfo gives no page count`);
  const seen = [...pdf.text.matchAll(new RegExp(`${word} (\\d+) / (\\d+)`, 'g'))]
    .map((m) => [Number(m[1]), Number(m[2])]);
  for (let i = 1; i <= pdf.pages; i++)
    check(seen.some(([x, y]) => x === i && y === pdf.pages),
      `${what}: no "${word} ${i} / ${pdf.pages}" in the PDF (found ${JSON.stringify(seen.slice(0, 6))})`);
}

// A4 is 595 x 842 points (portrait); a point or two of rounding is fine.
export function a4(pdf, landscape, what) {
  const [w, h] = landscape ? [842, 595] : [595, 842];
  check(Math.abs(pdf.size[0] - w) < 3 && Math.abs(pdf.size[1] - h) < 3,
    `${what}: page is ${pdf.size.join(' x ')} pt, not A4 ${landscape ? 'landscape' : 'portrait'}`);
}

// Words in the PDF's text; a narrow column may break them across lines.
export function has(pdf, words, what) {
  const flat = pdf.text.replace(/\s+/g, ' ');
  for (const w of words)
    check(flat.includes(w), `${what}: the PDF has no "${w}"`);
}

export const scenarios = [
  {
    name: 'print: the register book and the object card as PDF',
    timeout: 120000,
    async run(t) {
      const page = await t.loggedIn('quantri');
      await t.visit(page, '/admin/so-dang-ky', 'list');
      // The list's print button keeps the filter: the main collection.
      await page.getByLabel('Trạng thái').selectOption('main');
      await t.submit(page, page.getByRole('button', { name: 'Lọc' }), 'list-main');
      await t.submit(page, page.getByRole('button', { name: 'In sổ đăng ký' }), 'book');
      check(new URL(page.url()).pathname === '/admin/so-dang-ky/in', `print button went to ${page.url()}`);
      check(new URL(page.url()).searchParams.get('trang-thai') === 'main', `filter not kept: ${page.url()}`);
      await page.getByRole('button', { name: 'In', exact: true }).waitFor();   // print.js shows it
      const book = await printed(t, page, 'register-book');
      a4(book, true, 'register book');
      check(book.pages >= 2, `register book: ${book.pages} page(s), want at least 2`);
      numbered(book, 'register book');
      has(book, ['SỔ ĐĂNG KÝ HIỆN VẬT', 'BẢO TÀNG CHIẾN THẮNG LỊCH SỬ ĐIỆN BIÊN PHỦ', 'Sưu tập chính',
        'Ngày in', 'STT', 'Số đăng ký', 'Tên hiện vật', 'Chất liệu', 'Niên đại', 'Tình trạng',
        'Mũ cối'], 'register book');
      check(!book.text.includes('In sổ đăng ký') && !book.text.includes('Quay lại'),
        'register book: the screen tools are printed');
      // The cover is a page of its own: the table starts on page 2.
      const pages = book.text.split('\f');
      check(pages[0].includes('SỔ ĐĂNG KÝ HIỆN VẬT') && !pages[0].includes('STT'),
        'register book: the cover page is not alone on the first page');
      // The table's header comes back on every page of the table.
      for (let i = 1; i < book.pages; i++)
        check(pages[i].includes('STT'), `register book: page ${i + 1} has no table header`);

      // The card of the first object of the list, and its print link.
      await t.visit(page, '/admin/so-dang-ky?trang-thai=main', 'list-again');
      const first = page.locator('table.admin-table tbody a').first();
      const name = (await first.innerText()).trim();
      await t.submit(page, first, 'card');
      // Its lead photo: a picture of the media library.
      const id = Number(new URL(page.url()).pathname.split('/').pop());
      sql(t, 'INSERT INTO object_media (object_id, position, media_id, lead, caption)'
        + ' VALUES (?, 0, (SELECT min(id) FROM media), 1, ?)', [id, 'Ảnh hiện vật']);
      // Its related people, units, events and places, one of each kind.
      const related = [['person', 'Đồng chí Phùng Văn Khầu'], ['unit', 'Trung đoàn 174'],
        ['event', 'Trận đánh đồi Him Lam 13/3/1954'], ['place', 'Cứ điểm Độc Lập']];
      for (const [kind, label] of related) {
        sql(t, 'INSERT INTO related_entities (kind, name) VALUES (?, ?) ON CONFLICT DO NOTHING', [kind, label]);
        sql(t, 'INSERT OR IGNORE INTO object_related (object_id, entity_id) SELECT ?, id'
          + ' FROM related_entities WHERE kind = ? AND name = ?', [id, kind, label]);
      }
      await t.submit(page, page.getByRole('link', { name: 'In phiếu hiện vật' }), 'card-print');
      const card = await printed(t, page, 'object-card');
      a4(card, false, 'object card');
      numbered(card, 'object card');
      has(card, ['PHIẾU HIỆN VẬT', name, 'Số đăng ký', 'Phương thức thu nhận', 'Đăng ký và đính chính'],
        'object card');
      has(card, ['Nhân vật, đơn vị, sự kiện, địa danh liên quan', 'Nhân vật', 'Đơn vị', 'Sự kiện',
        'Địa danh', ...related.map(([, label]) => label)], 'object card: related');
      check(!card.text.includes('Page 1'), 'object card: a Vietnamese page is numbered in English');
      const images = run('pdfimages', ['-list', path.join(t.artifacts, 'print--object-card.pdf')])
        .split('\n').filter((l) => /^\s*\d+\s+\d+\s+image/.test(l));
      check(images.length === 1, `object card: ${images.length} picture(s) in the PDF, want the lead photo`);

      // In English: the labels and the page numbers follow.
      await t.visit(page, `${new URL(page.url()).pathname}?lang=en`, 'card-print-en');
      const english = await printed(t, page, 'object-card-en');
      a4(english, false, 'object card in English');
      numbered(english, 'object card in English', 'Page');
      has(english, ['OBJECT CARD', name, 'Registration and corrections',
        'Related people, units, events and places', 'Units', 'Trung đoàn 174'], 'object card in English');
    },
  },
  {
    name: 'print: hand-over record, council minutes and inventory report as PDF',
    timeout: 120000,
    async run(t) {
      const page = await t.loggedIn('quantri');
      // The demo's first acquisition: a donation with its hand-over number.
      await t.visit(page, '/admin/so-dang-ky/thu-nhan/1/bien-ban', 'handover');
      const handover = await printed(t, page, 'handover');
      a4(handover, false, 'hand-over record');
      numbered(handover, 'hand-over record');
      has(handover, ['CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
        'BIÊN BẢN GIAO NHẬN HIỆN VẬT', 'Bên giao', 'Bên nhận', '(Ký, ghi rõ họ tên)'], 'hand-over record');

      // A council session, from its page's print link.
      await t.visit(page, '/admin/so-dang-ky/hoi-dong', 'council');
      await t.submit(page, page.locator('main table a').first(), 'council-session');
      await t.submit(page, page.getByRole('link', { name: 'In biên bản họp' }), 'council-print');
      const minutes = await printed(t, page, 'council-minutes');
      a4(minutes, false, 'council minutes');
      numbered(minutes, 'council minutes');
      has(minutes, ['BIÊN BẢN HỌP HỘI ĐỒNG KHOA HỌC', 'Thành viên Hội đồng', 'Sưu tập chính',
        'CHỦ TỊCH HỘI ĐỒNG', 'THƯ KÝ'], 'council minutes');

      // An inventory campaign opened here, then its report.
      const name = unique('Kiểm kê in ');
      await t.visit(page, '/admin/kiem-ke', 'inventory');
      await page.getByLabel('Tên đợt kiểm kê').fill(name);
      await page.getByLabel('Phạm vi kiểm kê').selectOption({ label: 'Kho chính' });
      await t.submit(page, page.getByRole('button', { name: 'Mở đợt kiểm kê' }), 'inventory-opened');
      await t.submit(page, page.getByRole('link', { name: 'In báo cáo kiểm kê' }), 'inventory-print');
      const report = await printed(t, page, 'inventory-report');
      a4(report, false, 'inventory report');
      numbered(report, 'inventory report');
      has(report, ['BÁO CÁO KIỂM KÊ HIỆN VẬT', name, 'Kho chính', 'Tổng số hiện vật', 'Chưa kiểm',
        'Danh sách chênh lệch', 'TRƯỞNG ĐOÀN KIỂM KÊ'], 'inventory report');
    },
  },
];
