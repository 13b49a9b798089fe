// An award decision recorded through its form by the emulation officer and
// a recipient's certificate (giấy khen) printed to PDF as it is saved from
// the print dialog: A4 landscape, the national motto, the issuing body, the
// form, the recipient's name, the achievement, place and date, the signer
// (pdftotext, pdfinfo: poppler-utils, in the Makefile's test packages).
import { check } from './lib.mjs';
import { a4, has, printed } from './print.mjs';

export const scenarios = [
  {
    name: 'awards: a decision recorded through the form, a certificate printed to PDF',
    timeout: 120000,
    async run(t) {
      const page = await t.loggedIn('thidua');
      await t.visit(page, '/admin/khen-thuong', 'awards');
      await t.submit(page, page.getByRole('link', { name: 'Ghi quyết định khen thưởng' }), 'new');
      await page.getByLabel('Số quyết định').fill('12/QĐ-BTĐBP');
      await page.getByLabel('Ngày quyết định').fill('15/01/2021');
      await page.getByLabel('Cơ quan ban hành').fill('Bảo tàng Chiến thắng lịch sử Điện Biên Phủ');
      await page.getByLabel('Người khen thưởng (chức vụ)').fill('Giám đốc Bảo tàng Chiến thắng lịch sử Điện Biên Phủ');
      await page.getByLabel('Người ký').fill('Nguyễn Minh Tuấn');
      await page.getByLabel('Năm được khen').fill('2020');
      await page.getByLabel('Hình thức khen thưởng').selectOption('giay_khen');
      await page.getByLabel(/Bùi Thanh Hà/).check();
      await page.getByLabel('Tập thể: Phòng Hành chính – Tổng hợp').check();
      await page.getByLabel('Thành tích').fill('Hoàn thành xuất sắc công tác thuyết minh phục vụ khách tham quan năm 2020');
      await page.getByLabel('Địa danh ghi trên giấy khen').fill('Điện Biên');
      await t.submit(page, page.getByRole('button', { name: 'Ghi quyết định' }), 'saved');
      check(/\/admin\/khen-thuong\/\d+\?ok=them$/.test(page.url()), `the form went to ${page.url()}`);
      await page.getByText('Đã ghi quyết định khen thưởng.').waitFor();
      const row = page.locator('tr', { hasText: 'Bùi Thanh Hà' });
      await t.submit(page, row.getByRole('link', { name: 'In giấy khen' }), 'certificate');
      check(/\/giay-khen\/\d+$/.test(page.url()), `certificate link went to ${page.url()}`);
      await page.getByRole('button', { name: 'In', exact: true }).waitFor();   // print.js shows it
      const pdf = await printed(t, page, 'certificate');
      a4(pdf, true, 'certificate');
      check(pdf.pages === 1, `certificate: ${pdf.pages} pages, want one sheet`);
      has(pdf, ['XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc',
        'BẢO TÀNG CHIẾN THẮNG LỊCH SỬ ĐIỆN BIÊN PHỦ', 'Số: 12/QĐ-BTĐBP', 'GIÁM ĐỐC BẢO TÀNG',
        'TẶNG GIẤY KHEN', 'Bùi Thanh Hà', 'Thuyết minh viên', 'Hoàn thành xuất sắc công tác thuyết minh',
        'Điện Biên, ngày 15 tháng 01 năm 2021', 'Nguyễn Minh Tuấn'], 'certificate');
      check(!pdf.text.includes('Quay lại') && !pdf.text.includes('In giấy khen'),
        'certificate: the screen tools are printed');
    },
  },
];
