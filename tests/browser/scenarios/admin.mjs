// The back office's own pages: login, the dashboard, every page of the menu,
// password change, accounts and roles, the audit log, logout.
import { ACCOUNTS } from './accounts.mjs';
import { check, unique } from './lib.mjs';

const LOGIN_FAILED = 'Tên đăng nhập hoặc mật khẩu không đúng.';

function pathOf(page) {
  return new URL(page.url()).pathname;
}

// The links of the back-office menu: [{url, label}].
export async function menu(page) {
  return page.locator('nav.admin-nav a[href^="/admin"]').evaluateAll((as) => as.map((a) => ({
    url: a.getAttribute('href'), label: a.textContent.trim(),
  })));
}

// Back-office sections of the menu that other parts have not delivered yet:
// their menu link answers 404 for now. Kept empty once every section exists.
const NOT_YET = new Set([]);

export const scenarios = [
  {
    name: 'admin: log in, the dashboard',
    async run(t) {
      const page = await t.newPage();
      // A visit without a session goes to the login form, which comes back here.
      await t.visit(page, '/admin/nhat-ky', 'redirected-to-login');
      check(pathOf(page) === '/admin/dang-nhap', `not sent to the login page: ${page.url()}`);
      check(new URL(page.url()).searchParams.get('next') === '/admin/nhat-ky',
        `next is not kept: ${page.url()}`);
      await page.getByLabel('Tên đăng nhập').fill('QuanTri');  // names ignore case
      await page.getByLabel('Mật khẩu', { exact: true }).fill(ACCOUNTS.quantri.password);
      await t.submit(page, page.getByRole('button', { name: 'Đăng nhập' }), 'back-to-next');
      check(pathOf(page) === '/admin/nhat-ky', `after login: ${page.url()}`);
      await t.submit(page, page.locator('a.admin-brand'), 'dashboard');
      check(pathOf(page) === '/admin', `brand link went to ${page.url()}`);
      const h1 = await page.locator('main h1').innerText();
      check(h1.includes('Xin chào') && h1.includes(ACCOUNTS.quantri.display), `dashboard heading: ${h1}`);
      await page.locator('.admin-who').getByText('Quản trị viên').waitFor();
      check(await page.locator('.admin-counts li').count() >= 1, 'dashboard shows no counts');
      // The login page of a logged-in user is the dashboard.
      await t.visit(page, '/admin/dang-nhap', 'login-when-logged-in');
      check(pathOf(page) === '/admin', `login page when logged in: ${page.url()}`);
    },
  },
  {
    name: 'admin: every page of the menu',
    async run(t) {
      const page = await t.loggedIn('quantri');
      const links = await menu(page);
      const urls = links.map((l) => l.url);
      for (const want of ['/admin', '/admin/tai-khoan', '/admin/nhat-ky', '/admin/mat-khau'])
        check(urls.includes(want), `menu has no ${want}: ${urls.join(' ')}`);
      const broken = [];
      for (const { url, label } of links) {
        if (NOT_YET.has(url)) {
          console.log(`     note: ${url} (${label}) is not delivered yet`);
          continue;
        }
        const r = await t.visit(page, url, url, null);
        if (r.status() !== 200) {
          broken.push(`${url} (${label}): ${r.status()}`);
          continue;
        }
        const current = page.locator('nav.admin-nav a[aria-current="page"]');
        check(await current.count() === 1 && await current.getAttribute('href') === url,
          `${url}: the menu does not mark it as the current page`);
        check(await page.locator('main h1').count() >= 1, `${url}: no heading`);
      }
      check(broken.length === 0, `menu pages that do not open: ${broken.join(', ')}`);
      // An author's menu holds only what an author may open.
      const author = await t.loggedIn('tacgia');
      const theirs = (await menu(author)).map((l) => l.url);
      for (const never of ['/admin/tai-khoan', '/admin/nhat-ky', '/admin/binh-luan'])
        check(!theirs.includes(never), `an author's menu shows ${never}`);
      await t.visit(author, '/admin/tai-khoan', 'author-refused', 403);
      await author.getByText('Tài khoản của bạn không có quyền').or(
        author.getByText('Bạn không có quyền truy cập trang này.')).first().waitFor();
    },
  },
  {
    name: 'admin: wrong password shows the Vietnamese error',
    async run(t) {
      const page = await t.newPage();
      await t.login(page, 'quantri', 'hoàn toàn không phải mật khẩu', 'wrong-password', 401);
      await page.getByRole('alert').filter({ hasText: LOGIN_FAILED }).waitFor();
      check(pathOf(page) === '/admin/dang-nhap', `after a wrong password: ${page.url()}`);
      check(await page.getByLabel('Tên đăng nhập').inputValue() === 'quantri', 'name not kept');
      check(await page.getByLabel('Mật khẩu', { exact: true }).inputValue() === '', 'password kept');
      const cookies = await page.context().cookies();
      check(!cookies.some((c) => /sen_session/.test(c.name) && c.value), 'a session cookie was set');
      // The same for an account that does not exist.
      await t.login(page, 'khongtontai', 'hoàn toàn không phải mật khẩu', 'unknown-account', 401);
      await page.getByRole('alert').filter({ hasText: LOGIN_FAILED }).waitFor();
    },
  },
  {
    name: 'admin: change own password',
    async run(t) {
      const name = 'doimatkhau';
      const oldPw = ACCOUNTS[name].password;
      const newPw = 'Một mật khẩu mới thật dài 2026';
      const other = await t.loggedIn(name);  // another session of the same account
      const page = await t.loggedIn(name);
      await t.submit(page, page.locator('nav.admin-nav').getByRole('link', { name: 'Đổi mật khẩu' }),
        'password-form');
      check(pathOf(page) === '/admin/mat-khau', `menu link went to ${page.url()}`);
      await page.getByLabel('Mật khẩu hiện tại').fill('đây không phải mật khẩu cũ');
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPw);
      await page.getByLabel('Nhập lại mật khẩu mới').fill(newPw);
      await t.submit(page, page.locator('main').getByRole('button', { name: 'Đổi mật khẩu' }),
        'old-wrong', 400);
      await page.getByRole('alert').filter({ hasText: 'Mật khẩu hiện tại không đúng.' }).waitFor();
      await page.getByLabel('Mật khẩu hiện tại').fill(oldPw);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(newPw);
      await page.getByLabel('Nhập lại mật khẩu mới').fill(newPw);
      await t.submit(page, page.locator('main').getByRole('button', { name: 'Đổi mật khẩu' }), 'changed');
      await page.getByRole('status').filter({ hasText: 'Đã đổi mật khẩu.' }).waitFor();
      // This session stays, the other one has ended.
      await t.visit(page, '/admin', 'still-logged-in');
      await t.visit(other, '/admin', 'other-session-ended', 401);
      await other.getByText('Phiên đăng nhập đã kết thúc').waitFor();
      // The old password no longer opens the back office; the new one does.
      const fresh = await t.newPage();
      await t.login(fresh, name, oldPw, 'old-password', 401);
      await t.login(fresh, name, newPw, 'new-password');
      check(pathOf(fresh) === '/admin', `login with the new password ended at ${fresh.url()}`);
    },
  },
  {
    name: 'admin: create an account and change its role',
    async run(t) {
      const page = await t.loggedIn('quantri');
      await t.submit(page, page.locator('nav.admin-nav').getByRole('link', { name: 'Tài khoản' }), 'accounts');
      const name = unique('moi.');
      const password = 'Tài khoản mới cho cộng tác viên';
      const form = page.locator('form[action="/admin/tai-khoan/them"]');
      await form.getByLabel('Tên đăng nhập').fill(name);
      await form.getByLabel('Tên hiển thị').fill('Cộng Tác Viên');
      await form.getByLabel('Vai trò').selectOption('author');
      await form.getByLabel('Mật khẩu mới', { exact: true }).fill(password);
      await form.getByLabel('Nhập lại mật khẩu mới').fill(password);
      await t.submit(page, form.getByRole('button', { name: 'Tạo tài khoản' }), 'created');
      await page.getByRole('status').filter({ hasText: 'Đã tạo tài khoản.' }).waitFor();
      const card = page.locator('li.admin-user-card').filter({ has: page.locator('strong', { hasText: name }) });
      check(await card.count() === 1, `no card for ${name}`);
      check((await card.locator('.admin-meta').innerText()).includes('Tác giả'), 'new account is not an author');
      // The new account logs in as an author.
      const theirs = await t.newPage();
      await t.login(theirs, name, password, 'new-account-login');
      await theirs.locator('.admin-who').getByText('Tác giả').waitFor();
      // Made an editor: it takes effect at the account's next request.
      await card.getByLabel('Vai trò').selectOption('editor');
      await t.submit(page, card.getByRole('button', { name: 'Đổi vai trò' }), 'role-changed');
      await page.getByRole('status').filter({ hasText: 'Đã đổi vai trò.' }).waitFor();
      const after = page.locator('li.admin-user-card').filter({ has: page.locator('strong', { hasText: name }) });
      check((await after.locator('.admin-meta').innerText()).includes('Biên tập viên'), 'role not shown as editor');
      await t.visit(theirs, '/admin', 'new-account-is-editor');
      await theirs.locator('.admin-who').getByText('Biên tập viên').waitFor();
      // Both changes are in the audit log.
      await t.visit(page, '/admin/nhat-ky?action=user_role', 'audit-user-role');
      const row = page.locator('tr.audit-user_role').filter({ hasText: name }).first();
      check((await row.innerText()).includes('author -> editor'), `audit row: ${await row.innerText()}`);
    },
  },
  {
    name: 'admin: audit log filtered by action',
    async run(t) {
      const wrong = await t.newPage();
      await t.login(wrong, 'bientap', 'mật khẩu sai cho nhật ký', 'failed-login', 401);
      const page = await t.loggedIn('quantri');
      await t.submit(page, page.locator('nav.admin-nav').getByRole('link', { name: 'Nhật ký' }), 'audit');
      const all = await page.locator('tbody tr').count();
      check(all >= 3, `audit log shows ${all} rows`);
      await page.getByLabel('Hành động').selectOption('login_failed');
      await t.submit(page, page.locator('form.admin-filter').getByRole('button', { name: 'Lọc' }), 'filtered');
      check(new URL(page.url()).searchParams.get('action') === 'login_failed', `filter URL: ${page.url()}`);
      const rows = page.locator('tbody tr');
      const n = await rows.count();
      check(n >= 1, 'no failed login listed');
      check(await page.locator('tbody tr:not(.audit-login_failed)').count() === 0,
        'the filter lets other actions through');
      check(await rows.filter({ hasText: 'bientap' }).count() >= 1, 'the failed login of bientap is not listed');
      check(await page.getByLabel('Hành động').inputValue() === 'login_failed', 'the filter is not kept');
      // Filtered by account too.
      await page.getByLabel('Tài khoản', { exact: true }).selectOption({ label: 'quantri' });
      await page.getByLabel('Hành động').selectOption('login');
      await t.submit(page, page.locator('form.admin-filter').getByRole('button', { name: 'Lọc' }), 'by-account');
      check(await page.locator('tbody tr').count() >= 1, 'no login of quantri listed');
      check(await page.locator('tbody tr:not(.audit-login)').count() === 0, 'other actions listed');
      // "Bỏ lọc" goes back to everything.
      await t.submit(page, page.locator('form.admin-filter a'), 'reset');
      check(await page.locator('tbody tr').count() >= n + 1, 'reset does not show everything again');
    },
  },
  {
    name: 'admin: logout, then back button and /admin go to the login page',
    async run(t) {
      const page = await t.loggedIn('kiemduyet');
      await t.visit(page, '/admin/mat-khau', 'before-logout');
      await t.submit(page, page.getByRole('button', { name: 'Đăng xuất' }), 'logged-out');
      check(pathOf(page) === '/admin/dang-nhap', `after logout: ${page.url()}`);
      const cookies = await page.context().cookies();
      check(!cookies.some((c) => /sen_session/.test(c.name) && c.value), 'session cookie kept after logout');
      // Back: the page is not served from the cache (no-store), the server sends to login.
      const back = await page.goBack({ waitUntil: 'load' });
      await t.arrived(page, back, 'back-button');
      check(pathOf(page) === '/admin/dang-nhap', `back button showed ${page.url()}`);
      await page.getByLabel('Tên đăng nhập').waitFor();
      check(!(await t.mainText(page)).includes('Mật khẩu hiện tại'), 'the old page is shown after logout');
      await t.visit(page, '/admin', 'admin-after-logout');
      check(pathOf(page) === '/admin/dang-nhap', `/admin after logout: ${page.url()}`);
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    },
  },
  {
    name: 'admin: fits a phone screen',
    async run(t) {
      const page = await t.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
      await t.login(page, 'quantri', undefined, 'phone-login');
      for (const p of ['/admin', '/admin/tai-khoan', '/admin/nhat-ky', '/admin/mat-khau']) {
        await t.visit(page, p, `phone${p}`);
        const [scroll, width] = await page.evaluate(() =>
          [document.documentElement.scrollWidth, window.innerWidth]);
        check(scroll <= width + 1, `${p} is wider than a phone screen: ${scroll}px for ${width}px`);
      }
    },
  },
  {
    name: 'admin: back office in English',
    async run(t) {
      const page = await t.loggedIn('quantri');
      await t.submit(page, page.locator('a.admin-lang'), 'english');
      check(await page.locator('html').getAttribute('lang') === 'en', 'not English');
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      // Every page of the menu: headings, menu and form labels in English (the
      // data - names, titles - stays as it was written).
      const vietnamese = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;
      for (const { url } of await menu(page)) {
        await t.visit(page, url, `en${url}`);
        const labels = await page.locator('main h1, nav.admin-nav a, form.admin-form label, ' +
          'form.admin-filter label, form.admin-form button, form.admin-filter button').allInnerTexts();
        const left = labels.map((l) => l.replace(ACCOUNTS.quantri.display, '').trim())
          .filter((l) => vietnamese.test(l));
        check(left.length === 0, `${url} in English still says: ${left.join(' | ')}`);
      }
      await t.submit(page, page.locator('a.admin-lang'), 'vietnamese');
      check(await page.locator('html').getAttribute('lang') === 'vi', 'not back to Vietnamese');
      await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    },
  },
];
