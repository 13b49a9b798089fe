// The editorial workflow with the media library: an author uploads a photo,
// writes an article around it and sends it for review; an editor publishes
// it from the review queue; the public page shows the photo in its resized
// variants (srcset). A scheduled article appears by itself; an author cannot
// publish.
import { check, sleep, unique } from './lib.mjs';

// A real JPEG, drawn by the browser itself (a canvas), as a Buffer.
export async function makeJpeg(t, width = 1600, height = 1000) {
  const page = await t.newPage();
  await page.setContent('<canvas></canvas>');
  const dataUrl = await page.evaluate(([w, h]) => {
    const c = document.querySelector('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, h);
    sky.addColorStop(0, '#7fb2d9');
    sky.addColorStop(1, '#f3d9a4');
    g.fillStyle = sky;
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#3f6b3a';
    g.beginPath();
    g.moveTo(0, h * 0.7);
    for (let x = 0; x <= w; x += 40)
      g.lineTo(x, h * 0.6 + Math.sin(x / 97) * h * 0.08);
    g.lineTo(w, h);
    g.lineTo(0, h);
    g.fill();
    g.fillStyle = '#8a2b1b';
    g.fillRect(w * 0.4, h * 0.45, w * 0.2, h * 0.25);
    g.fillStyle = '#fff';
    g.font = `${Math.round(h / 12)}px sans-serif`;
    g.fillText('Bảo tàng Điện Biên Phủ', w * 0.05, h * 0.15);
    return c.toDataURL('image/jpeg', 0.9);
  }, [width, height]);
  await page.context().close();
  const buffer = Buffer.from(dataUrl.split(',')[1], 'base64');
  check(buffer[0] === 0xff && buffer[1] === 0xd8, 'the canvas did not give a JPEG');
  return buffer;
}

// Uploads a picture through the media library form (media.js sends it with a
// progress bar and opens the picture's page); waits until its sizes are made.
// Returns { name, url } (the original file name, the picture's page).
export async function upload(t, page, { name, buffer, alt, credit }) {
  await t.submit(page, page.locator('nav.admin-nav').getByRole('link', { name: 'Thư viện ảnh' }), 'library');
  await page.getByLabel('Tệp ảnh').setInputFiles({ name, mimeType: 'image/jpeg', buffer });
  await page.getByLabel('Mô tả ảnh (alt)').fill(alt);
  await page.getByLabel('Nguồn ảnh').fill(credit);
  await t.submit(page, page.getByRole('button', { name: 'Tải lên' }), 'uploaded');
  check(/^\/admin\/thu-vien\/\d+/.test(new URL(page.url()).pathname), `after the upload: ${page.url()}`);
  await page.getByRole('status').filter({ hasText: 'Đã tải ảnh lên.' }).waitFor();
  const url = new URL(page.url()).pathname;
  // While the sizes are being made (#media-processing) the page reloads
  // itself every 3 s (media.js, at most 20 times). The test waits for those
  // reloads to end instead of visiting the page itself: its own visit could
  // meet the page's reload and be cut short by it. A loaded page without the
  // marker reloads no more.
  const processing = page.locator('#media-processing');
  for (let i = 0; i < 5; i++) {
    await processing.waitFor({ state: 'detached', timeout: 70000 });
    await page.waitForLoadState('load');
    if (await processing.count() === 0)
      break;
  }
  check(await page.getByText('Xử lý thất bại').count() === 0, 'processing the picture failed');
  check(await page.locator('ul.media-variants li').count() >= 2, 'no resized sizes were made');
  check((await page.locator('dd.media-name').innerText()).trim() === name, 'file name not shown');
  await page.locator('figure.media-preview img').evaluate((img) => img.decode());
  await t.shot(page, 'picture');
  return { name, url };
}

// Fills the "new article" form; images: [{ name, caption }] by file name.
async function writeArticle(t, page, { title, summary, body, tags, images = [] }) {
  await t.submit(page, page.locator('nav.admin-nav').getByRole('link', { name: 'Bài viết' }), 'articles');
  await t.submit(page, page.getByRole('link', { name: 'Viết bài mới' }), 'new-article');
  await page.getByLabel('Tiêu đề').fill(title);
  if (summary)
    await page.getByLabel('Tóm tắt').fill(summary);
  const category = page.getByLabel('Chuyên mục');
  const first = await category.locator('option:not([value=""])').first().getAttribute('value');
  await category.selectOption(first);
  if (tags)
    await page.getByLabel('Thẻ', { exact: true }).fill(tags);
  await page.getByLabel('Nội dung', { exact: true }).fill(body);
  for (const [i, img] of images.entries()) {
    const select = page.locator(`select[name="image_${i + 1}"]`);
    const value = await select.locator('option', { hasText: img.name }).getAttribute('value');
    await select.selectOption(value);
    await page.locator(`input[name="caption_${i + 1}"]`).fill(img.caption);
  }
}

// The edit page's public link once the article is published.
async function publicPath(page) {
  const href = await page.getByRole('link', { name: 'Xem trên trang' }).getAttribute('href');
  return new URL(href, 'http://x').pathname;
}

// Vietnam time (UTC+7) as a datetime-local value, to the minute.
function vietnamMinute(ms) {
  return new Date(ms + 7 * 3600 * 1000).toISOString().slice(0, 16);
}

export const scenarios = [
  {
    name: 'editorial: author writes with an uploaded photo, editor publishes (srcset on the public page), unpublishes, changes and publishes again',
    timeout: 120000,
    async run(t) {
      const jpeg = await makeJpeg(t);
      const author = await t.loggedIn('tacgia');
      const file = `${unique('hien-vat-')}.jpg`;
      await upload(t, author, { name: file, buffer: jpeg, alt: 'Mô hình hầm chỉ huy trong phòng trưng bày',
        credit: 'Ảnh: Bảo tàng Điện Biên Phủ' });

      const title = `Khai trương phòng trưng bày mới ${unique('')}`;
      const caption = 'Mô hình hầm chỉ huy tại phòng trưng bày số 2';
      await writeArticle(t, author, {
        title,
        summary: 'Phòng trưng bày mới giới thiệu hơn 200 hiện vật.',
        body: 'Sáng nay, bảo tàng **khai trương** phòng trưng bày mới.\n\nKhách tham quan được xem mô hình hầm chỉ huy.',
        tags: 'trưng bày, hiện vật',
        images: [{ name: file, caption }],
      });
      // The live preview (editor.js) shows the text as the public page will.
      await author.locator('#editor-preview strong', { hasText: 'khai trương' }).waitFor();
      await t.submit(author, author.getByRole('button', { name: 'Lưu và gửi duyệt' }), 'submitted');
      await author.getByRole('status').filter({ hasText: 'Đã gửi bài viết để duyệt.' }).waitFor();
      await author.locator('.editorial-status', { hasText: 'Chờ duyệt' }).waitFor();
      check(await author.getByRole('button', { name: 'Đăng / hẹn giờ' }).count() === 0,
        'an author is offered to publish');
      check(await author.locator('#ed-title').getAttribute('readonly') !== null,
        'the article is still editable after being sent for review');
      // Not public yet.
      const reader = await t.newPage();
      await t.visit(reader, '/', 'home-before');
      check(await reader.getByText(title).count() === 0, 'an article waiting for review is on the home page');

      const editor = await t.loggedIn('bientap');
      await t.submit(editor, editor.locator('nav.admin-nav').getByRole('link', { name: 'Duyệt bài' }), 'review');
      const card = editor.locator('ul.editorial-queue li').filter({ hasText: title });
      check(await card.count() === 1, 'the article is not in the review queue');
      await t.submit(editor, card.getByRole('button', { name: 'Đăng ngay' }), 'published');
      await editor.getByRole('status').filter({ hasText: 'Đã đăng bài viết.' }).waitFor();
      check(await editor.locator('ul.editorial-queue li').filter({ hasText: title }).count() === 0,
        'a published article is still waiting');
      await t.submit(editor, editor.locator('nav.admin-nav').getByRole('link', { name: 'Bài viết' }), 'list');
      await t.submit(editor, editor.getByRole('link', { name: title }), 'published-article');
      await editor.locator('.editorial-status', { hasText: 'Đã đăng' }).waitFor();
      const path = await publicPath(editor);

      // The public site: the newest article leads the home page, with its photo.
      await t.visit(reader, '/', 'home-after');
      const lead = reader.locator('main article').filter({ has: reader.locator(`a[href="${path}"]`) }).first();
      check(await lead.count() === 1, 'the published article is not on the home page');
      const thumb = lead.locator('img').first();
      check(await thumb.count() === 1 && await thumb.evaluate((i) => i.complete && i.naturalWidth > 0),
        'the article has no picture on the home page');
      await t.visit(reader, path, 'public-article');
      await reader.getByRole('heading', { level: 1, name: title }).waitFor();
      const figure = reader.locator('article figure.figure').filter({ hasText: caption });
      check(await figure.count() === 1, 'no figure with the caption under the article');
      const img = figure.locator('img');
      const srcset = await img.getAttribute('srcset');
      const candidates = (srcset || '').split(',').map((c) => c.trim().split(/\s+/));
      check(candidates.length >= 2 && candidates.every(([u, w]) => u.startsWith('/media/') && /^\d+w$/.test(w)),
        `srcset is not a list of widths: "${srcset}"`);
      check(await img.getAttribute('sizes'), 'no sizes attribute');
      check(await figure.locator('source[type="image/webp"]').count() <= 1, 'more than one WebP source');
      await img.scrollIntoViewIfNeeded();
      await img.evaluate((i) => i.decode());
      const shown = await img.evaluate((i) => ({ w: i.naturalWidth, src: i.currentSrc }));
      check(shown.w > 0 && shown.w <= 1600, `picture not shown (${JSON.stringify(shown)})`);
      for (const [u] of candidates) {
        const r = await reader.request.get(t.url(u));
        check(r.status() === 200 && /^image\//.test(r.headers()['content-type']), `${u}: ${r.status()}`);
      }
      check((await figure.locator('figcaption').innerText()).includes('Ảnh: Bảo tàng Điện Biên Phủ'),
        'the credit is not shown with the caption');
      await t.shot(reader, 'public-article');
      // The library knows the picture is used and does not let it be deleted.
      await t.submit(author, author.locator('nav.admin-nav').getByRole('link', { name: 'Thư viện ảnh' }), 'library-after');
      await t.submit(author, author.locator('li.media-tile').filter({ hasText: file }).getByRole('link').first(),
        'picture-in-use');
      await author.locator('section.media-uses').getByRole('link', { name: title }).waitFor();
      check(await author.getByRole('button', { name: 'Xóa ảnh' }).count() === 0, 'a used picture can be deleted');
      // Unpublished by the editor: gone from the public site.
      await t.submit(editor, editor.getByRole('button', { name: 'Gỡ bài' }), 'unpublished');
      await editor.getByRole('status').filter({ hasText: 'Đã gỡ bài viết khỏi trang.' }).waitFor();
      await editor.locator('.editorial-status', { hasText: 'Đã gỡ' }).waitFor();
      await t.visit(reader, path, 'public-gone', 404);
      await t.visit(reader, '/', 'home-gone');
      check(await reader.locator(`main a[href="${path}"]`).count() === 0, 'an unpublished article is on the home page');
      // Published again from the editor after a change nobody saved: the
      // button belongs to the editor's form, so it saves the text first and
      // the public page shows the change (the usability test's trap).
      const changed = 'Bản sửa cuối cùng trước khi đăng lại.';
      await editor.locator('#ed-body').fill(changed);
      await t.submit(editor, editor.getByRole('button', { name: 'Lưu và đăng / hẹn giờ' }), 'saved-and-published');
      await editor.getByRole('status').filter({ hasText: 'Đã đăng bài viết.' }).waitFor();
      await editor.waitForTimeout(1100);   // past the page cache's second
      await t.visit(reader, path, 'public-republished');
      check(await reader.getByText(changed).count() === 1, 'the change typed before publishing is not on the public page');
    },
  },
  {
    name: 'editorial: an author cannot publish',
    async run(t) {
      const author = await t.loggedIn('tacgia');
      const title = `Bài tác giả muốn tự đăng ${unique('')}`;
      await writeArticle(t, author, { title, body: 'Một bài viết ngắn.' });
      await t.submit(author, author.getByRole('button', { name: 'Lưu', exact: true }), 'saved');
      await author.getByRole('status').filter({ hasText: 'Đã tạo bài viết (bản nháp).' }).waitFor();
      check(await author.getByRole('button', { name: 'Đăng / hẹn giờ' }).count() === 0,
        'an author is offered to publish');
      check(!(await author.locator('nav.admin-nav').innerText()).includes('Duyệt bài'),
        'an author has the review queue in the menu');
      const id = author.url().match(/\/admin\/bai-viet\/(\d+)/)?.[1];
      check(id, `no article id in ${author.url()}`);
      await t.visit(author, '/admin/duyet-bai', 'review-refused', 403);
      await author.getByText('Bạn không có quyền truy cập trang này.').or(
        author.getByText('Tài khoản của bạn không có quyền')).first().waitFor();
      // (A forged publish request is the end-to-end tests' part: a page gives
      // an author no token for it.)
      await t.visit(author, `/admin/bai-viet/${id}`, 'still-draft');
      await author.locator('.editorial-status', { hasText: 'Bản nháp' }).waitFor();
      const reader = await t.newPage();
      await t.visit(reader, '/', 'home');
      check(await reader.getByText(title).count() === 0, 'the draft is on the home page');
    },
  },
  {
    name: 'editorial: a picture inserted in the text; unsaved text survives an ended session',
    async run(t) {
      const page = await t.loggedIn('tacgiahai');
      const title = `Bài viết dở dang ${unique('')}`;
      await writeArticle(t, page, { title, body: 'Đoạn mở đầu của bài.' });
      // "Chèn vào nội dung" puts ![caption](file) in the text; the preview shows the picture.
      const select = page.locator('select[name="image_1"]');
      const file = await select.locator('option:not([value=""])').first().getAttribute('value');
      await select.selectOption(file);
      await page.locator('input[name="caption_1"]').fill('Ảnh chèn giữa bài');
      await page.locator('[data-insert-row="1"]').click();
      const body = await page.getByLabel('Nội dung', { exact: true }).inputValue();
      check(body.includes(`![Ảnh chèn giữa bài](${file})`), `inserted text: ${body}`);
      await page.locator(`#editor-preview figure img[src="/media/${file}"]`).waitFor();
      await t.shot(page, 'inserted');

      // The session ends in another tab; the next preview tells the writer.
      const other = await page.context().newPage();
      await t.visit(other, '/admin', 'other-tab');
      await t.submit(other, other.getByRole('button', { name: 'Đăng xuất' }), 'logged-out');
      await page.getByLabel('Nội dung', { exact: true }).press('End');
      await page.getByLabel('Nội dung', { exact: true }).pressSequentially(' Thêm một câu.');
      await page.locator('#editor-expired').waitFor({ state: 'visible' });
      // Saving now would only be refused: the form stays, with the text.
      await page.getByRole('button', { name: 'Lưu', exact: true }).click();
      await sleep(500);
      check(new URL(page.url()).pathname === '/admin/bai-viet/moi', `the form was sent: ${page.url()}`);
      check(await page.getByLabel('Tiêu đề').inputValue() === title, 'the title is gone');
      await t.shot(page, 'expired');

      // Logged in again, the page reloaded: the unsaved copy is offered back.
      await t.login(other, 'tacgiahai', undefined, 'login-again');
      await t.visit(page, '/admin/bai-viet/moi', 'reloaded');
      check(await page.getByLabel('Tiêu đề').inputValue() === '', 'a new form is not empty');
      await page.locator('#editor-draft-note').waitFor({ state: 'visible' });
      await page.getByRole('button', { name: 'Khôi phục bản chưa lưu' }).click();
      check(await page.getByLabel('Tiêu đề').inputValue() === title, 'the title is not restored');
      check((await page.getByLabel('Nội dung', { exact: true }).inputValue()).endsWith('Thêm một câu.'),
        'the last sentence is not restored');
      await t.submit(page, page.getByRole('button', { name: 'Lưu', exact: true }), 'saved');
      await page.getByRole('status').filter({ hasText: 'Đã tạo bài viết (bản nháp).' }).waitFor();
      check(await page.getByLabel('Tiêu đề').inputValue() === title, 'the saved title differs');
      check((await page.getByLabel('Nội dung', { exact: true }).inputValue()).endsWith('Thêm một câu.'),
        'the saved text differs');
      // Saved: the copy is forgotten, a new article starts empty with no offer.
      await t.visit(page, '/admin/bai-viet/moi', 'new-again');
      await sleep(300);
      check(await page.locator('#editor-draft-note').isHidden(), 'a saved copy is still offered');
    },
  },
  {
    name: 'editorial: two versions compared, the first restored',
    async run(t) {
      const page = await t.loggedIn('tacgia');
      const title = `Phiên bản đầu ${unique('')}`;
      await writeArticle(t, page, { title, body: 'Dòng chung\nDòng cũ sẽ bỏ\nDòng cuối' });
      await t.submit(page, page.getByRole('button', { name: 'Lưu', exact: true }), 'first');
      await page.getByRole('status').filter({ hasText: 'Đã tạo bài viết (bản nháp).' }).waitFor();
      await page.getByLabel('Nội dung', { exact: true }).fill('Dòng chung\nDòng mới thêm vào\nDòng cuối');
      await t.submit(page, page.getByRole('button', { name: 'Lưu', exact: true }), 'second');
      await page.getByRole('status').filter({ hasText: 'Đã lưu bài viết.' }).waitFor();

      await t.submit(page, page.getByRole('link', { name: 'Các phiên bản' }), 'revisions');
      const rows = page.locator('table.editorial-table tbody tr');
      check(await rows.count() === 2, `${await rows.count()} versions listed`);
      // Old = the first version (last row), new = the current one (first row).
      await rows.last().locator('input[name="a"]').check();
      await rows.first().locator('input[name="b"]').check();
      await t.submit(page, page.getByRole('button', { name: 'So sánh hai phiên bản đã chọn' }), 'compare');
      await page.locator('.editorial-diff del', { hasText: 'Dòng cũ sẽ bỏ' }).waitFor();
      await page.locator('.editorial-diff ins', { hasText: 'Dòng mới thêm vào' }).waitFor();
      check(await page.locator('.editorial-diff span.editorial-line', { hasText: 'Dòng chung' }).count() === 1,
        'the unchanged line is not shown as unchanged');

      await t.submit(page, page.getByRole('link', { name: '← Các phiên bản' }), 'back');
      await t.submit(page, rows.last().getByRole('button', { name: 'Khôi phục' }), 'restored');
      await page.getByRole('status').filter({ hasText: 'Đã khôi phục phiên bản cũ' }).waitFor();
      const body = await page.getByLabel('Nội dung', { exact: true }).inputValue();
      check(body.includes('Dòng cũ sẽ bỏ') && !body.includes('Dòng mới thêm vào'), `restored text: ${body}`);
      await t.submit(page, page.getByRole('link', { name: 'Các phiên bản' }), 'three-versions');
      check(await rows.count() === 3, 'restoring did not add a version');
      await page.getByText('khôi phục từ phiên bản').first().waitFor();
    },
  },
  {
    name: 'editorial: a scheduled article appears by itself',
    background: true,  // mostly waiting for the minute it is scheduled at
    timeout: 150000,
    async run(t) {
      const editor = await t.loggedIn('bientap');
      const title = `Triển lãm hẹn giờ ${unique('')}`;
      await writeArticle(t, editor, { title, body: 'Nội dung của bài hẹn giờ.' });
      await t.submit(editor, editor.getByRole('button', { name: 'Lưu', exact: true }), 'saved');
      // The field takes minutes: the next whole minute at least 20 s away.
      const at = Math.ceil((Date.now() + 20000) / 60000) * 60000;
      await editor.getByLabel('Thời gian đăng (giờ Việt Nam)').fill(vietnamMinute(at));
      await t.submit(editor, editor.getByRole('button', { name: 'Đăng / hẹn giờ' }), 'scheduled');
      await editor.getByRole('status').filter({ hasText: 'Đã hẹn giờ đăng bài viết.' }).waitFor();
      await editor.locator('.editorial-status', { hasText: 'Hẹn giờ đăng' }).waitFor();
      const reader = await t.newPage();
      await t.visit(reader, '/', 'home-before');
      check(Date.now() < at, 'too slow to see the article before its time');
      check(await reader.getByText(title).count() === 0, 'a scheduled article is shown before its time');
      await sleep(Math.max(0, at - Date.now()));
      // After its time, with no write by anyone: the home page shows it within a few seconds.
      let seen = false;
      for (let i = 0; i < 20 && !seen; i++) {
        await t.visit(reader, '/', 'home-after');
        seen = await reader.getByText(title).count() > 0;
        if (!seen)
          await sleep(500);
      }
      check(seen, `the scheduled article is not on the home page ${((Date.now() - at) / 1000).toFixed(1)}s after its time`);
      await t.submit(reader, reader.getByRole('link', { name: title }).first(), 'article');
      await reader.getByRole('heading', { level: 1, name: title }).waitFor();
      await t.shot(reader, 'appeared');
    },
  },
];
