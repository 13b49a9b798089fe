// The museum's register and its Scientific Council: a curator takes objects
// in (temporary numbers), a council member records a session and decides on
// each (main collection, reference collection, returned); acceptance gives
// registration numbers, which run in order and appear on the cards; a
// returned object gets none.
import { check, unique } from './lib.mjs';

// Takes one object in through the intake form, as the curator types it.
async function intake(t, page, name, step) {
  await t.visit(page, '/admin/so-dang-ky/nhap', `${step}-form`);
  await page.locator('#k-name').fill(name);
  await page.locator('#k-material').selectOption('KL');
  await page.locator('#r-date').fill('12/03/2021');
  await page.locator('#r-donor').fill('Bà Lò Thị Xuân');
  await t.submit(page, page.locator('form.admin-form button[type="submit"]'), step);
  await page.getByRole('status').waitFor();
}

// The value of the option of a select whose text passes test (what: its description).
async function optionWhere(select, test, what) {
  const options = await select.locator('option').evaluateAll((os) =>
    os.map((o) => ({ value: o.value, text: o.textContent.trim() })));
  const o = options.find((x) => test(x.text));
  check(o !== undefined, `no option ${what} among ${options.map((x) => x.text).join(' | ')}`);
  return o.value;
}

// The number the card shows ("Số đăng ký" row), '' when it has none.
async function cardNumber(page) {
  const row = page.locator('dt', { hasText: /^Số đăng ký$/ });
  if (await row.count() === 0)
    return '';
  return (await row.first().locator('xpath=following-sibling::dd[1]').innerText()).trim();
}

export const scenarios = [
  {
    name: 'register: intake, the Scientific Council decides, numbers in order on the cards',
    timeout: 120000,
    async run(t) {
      const tag = unique('');
      const names = {
        first: `Mũ cối chiến sĩ ${tag}`,
        second: `Bi đông hành quân ${tag}`,
        reference: `Bản sao bản đồ tác chiến ${tag}`,
        returned: `Ảnh chụp lại ${tag}`,
      };
      const curator = await t.loggedIn('baotang');
      let i = 0;
      for (const name of Object.values(names))
        await intake(t, curator, name, `intake-${++i}`);
      // The list shows them waiting in intake, found without accents.
      await t.visit(curator, `/admin/so-dang-ky?q=${encodeURIComponent(tag)}&trang-thai=intake`, 'intake-list');
      for (const name of Object.values(names))
        check(await curator.getByRole('link', { name }).count() === 1, `"${name}" is not in the intake list`);

      const council = await t.loggedIn('hoidong');
      await t.visit(council, '/admin/so-dang-ky/hoi-dong/moi', 'session-form');
      await council.locator('#c-held').fill('15/05/2021');
      await council.locator('#c-members').fill('PGS. TS. Nguyễn Văn An\nTS. Trần Thị Bình\nThS. Lò Văn Chiến');
      await council.locator('#c-minutes').fill('Hội đồng họp xét các hiện vật thu nhận đợt tháng Ba.');
      await t.submit(council, council.locator('form.admin-form button[type="submit"]'), 'session-saved');
      await council.getByRole('status').filter({ hasText: 'Đã lưu phiên họp' }).waitFor();
      const session = new URL(council.url()).pathname;
      check(/^\/admin\/so-dang-ky\/hoi-dong\/\d+$/.test(session), `the session ended at ${council.url()}`);

      const decide = async (name, decision, register, step) => {
        const object = council.locator('#d-object');
        await object.selectOption(await optionWhere(object, (x) => x.endsWith(name), `for "${name}"`));
        await council.locator('#d-decision').selectOption(decision);
        const books = council.locator('#d-register');
        await books.selectOption(register
          ? await optionWhere(books, (x) => x.startsWith(register), `starting "${register}"`) : '');
        await council.locator('#d-note').fill(`Quyết định của hội đồng: ${decision}`);
        await t.submit(council, council.locator(`form[action="${session}/quyet-dinh"] button[type="submit"]`), step);
        await council.getByRole('status').filter({ hasText: 'Đã ghi quyết định.' }).waitFor();
      };
      await decide(names.first, 'main', 'HV -', 'decide-main-1');
      await decide(names.second, 'main', 'HV -', 'decide-main-2');
      await decide(names.reference, 'reference', 'TK -', 'decide-reference');
      await decide(names.returned, 'returned', null, 'decide-returned');

      // The session lists the four decisions with their numbers.
      const decided = council.locator('table.admin-table tbody tr');
      const numberOf = async (name) =>
        (await decided.filter({ hasText: name }).locator('td').nth(3).innerText()).trim();
      const n1 = await numberOf(names.first), n2 = await numberOf(names.second);
      const nRef = await numberOf(names.reference), nRet = await numberOf(names.returned);
      const parse = (n) => n.match(/^(.*?)(\d+)(\/KL)$/);
      check(parse(n1) && parse(n2), `main-collection numbers look wrong: "${n1}", "${n2}"`);
      check(parse(n1)[1] === parse(n2)[1] && Number(parse(n2)[2]) === Number(parse(n1)[2]) + 1,
        `the second main-collection number does not follow the first: "${n1}", "${n2}"`);
      check(nRef !== '' && !nRef.startsWith(parse(n1)[1]), `the reference collection number "${nRef}" is not of its own register`);
      check(nRet === '', `a returned object got a number: "${nRet}"`);
      await t.shot(council, 'session-decided');

      // Each card shows its number (the curator opens them from the session).
      await t.visit(curator, session, 'session-curator');
      check(await curator.locator(`form[action="${session}/quyet-dinh"]`).count() === 0,
        'a curator is offered the decision form');
      const cards = [[names.first, n1], [names.second, n2], [names.reference, nRef], [names.returned, '']];
      for (const [name, number] of cards) {
        await t.submit(curator, curator.getByRole('link', { name, exact: true }), `card-${number || 'returned'}`);
        check((await t.mainText(curator)).includes(name), `the card of "${name}" does not name it`);
        const shown = await cardNumber(curator);
        check(shown === number, `the card of "${name}" shows number "${shown}", not "${number}"`);
        await t.visit(curator, session, `session-back-${number || 'returned'}`);
      }
      // The register list, in the main collection, shows both numbers in order.
      await t.visit(curator, `/admin/so-dang-ky?q=${encodeURIComponent(tag)}&trang-thai=main`, 'main-list');
      const listed = await t.mainText(curator);
      check(listed.includes(n1) && listed.includes(n2), 'the main collection list misses a number');
    },
  },
];
