// The comment queue at /admin/binh-luan: a reader's comment is approved by
// a moderator and appears on the public page; another one, rejected with the
// bulk form, never does.
import { check, unique } from './lib.mjs';
import { commentOn, homeArticles } from './public.mjs';

export const scenarios = [
  {
    name: 'moderation: approve a comment, it appears on the article',
    timeout: 60000,
    async run(t) {
      const reader = await t.newPage();
      await t.visit(reader, '/', 'home');
      const a = (await homeArticles(reader))[5];
      const good = `Bạn Đọc ${unique('')}`;
      const bad = `Người Khác ${unique('')}`;
      const body = 'Tôi đã đến thăm bảo tàng cùng gia đình, rất xúc động.';
      const other = await t.newPage();
      await Promise.all([  // two readers at once: the fill-time waits overlap
        commentOn(t, reader, a.path, good, body),
        commentOn(t, other, a.path, bad, 'Bình luận này sẽ bị từ chối.'),
      ]);

      const mod = await t.loggedIn('kiemduyet');
      // The dashboard counts what waits, and links to it.
      const pending = mod.locator('#so-cho-duyet .admin-count');
      const before = Number((await pending.innerText()).replace(/\D/g, ''));
      check(before >= 2, `the dashboard counts ${before} comments waiting`);
      await t.submit(mod, mod.locator('#so-cho-duyet a'), 'queue');
      await mod.locator('nav.mod-tabs a[aria-current="page"]', { hasText: 'Chờ duyệt' }).waitFor();
      const card = (name) => mod.locator('li.mod-comment').filter({ hasText: name });
      check(await card(good).count() === 1 && await card(bad).count() === 1,
        'the two comments are not both in the queue');
      check((await card(good).innerText()).includes(a.title), 'the card does not name the article');
      await t.submit(mod, card(good).getByRole('button', { name: 'Duyệt', exact: true }), 'approved');
      await mod.getByRole('status').filter({ hasText: 'Đã duyệt 1 bình luận.' }).waitFor();
      check(await card(good).count() === 0, 'an approved comment is still waiting');
      // The other one with the bulk form: its checkbox, then "Từ chối".
      await card(bad).locator('input.mod-pick').check();   // not the delete form's "Tôi chắc chắn"
      await mod.getByLabel('Với các bình luận đã chọn:').selectOption('reject');
      await t.submit(mod, mod.getByRole('button', { name: 'Thực hiện' }), 'bulk-rejected');
      await mod.getByRole('status').filter({ hasText: 'Đã từ chối 1 bình luận.' }).waitFor();
      await t.submit(mod, mod.locator('nav.mod-tabs').getByRole('link', { name: /Đã duyệt/ }), 'approved-tab');
      check(await card(good).count() === 1, 'the approved comment is not under "Đã duyệt"');

      await t.visit(mod, '/admin', 'dashboard-after');
      check(Number((await pending.innerText()).replace(/\D/g, '')) === before - 2,
        `the dashboard count did not go from ${before} to ${before - 2}`);

      // The public page shows the approved comment only.
      await t.visit(reader, a.path, 'public');
      const list = reader.locator('#binh-luan .comment-list li.comment');
      const mine = list.filter({ hasText: good });
      check(await mine.count() === 1, 'the approved comment is not on the article page');
      check((await mine.locator('.comment-body').innerText()).includes(body), 'comment body not shown');
      check(await list.filter({ hasText: bad }).count() === 0, 'a rejected comment is shown');
      check(await reader.getByRole('heading', { name: /Bình luận \(1\)/ }).count() === 1,
        'the heading does not count one comment');
      await mine.scrollIntoViewIfNeeded();
      await t.shot(reader, 'public-comment');
    },
  },
];
