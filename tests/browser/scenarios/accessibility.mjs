// Accessibility: axe-core checks every page a scenario opens against WCAG 2.1
// A and AA (run.mjs, Scenario.checkAccessibility), so the back office is
// covered by the scenarios that go through it. This one opens every kind of
// public page, in Vietnamese and in English, so that none is left unchecked.
import { check } from './lib.mjs';
import { homeArticles } from './public.mjs';

export const scenarios = [
  {
    name: 'accessibility: every kind of public page, in both languages',
    timeout: 120000,
    async run(t) {
      for (const lang of ['vi', 'en']) {
        const page = await t.newPage();
        await t.visit(page, `/?lang=${lang}`, `${lang}-home`);
        const articles = await homeArticles(page);
        check(articles.length > 0, 'no article on the home page');
        const article = articles[0].path;
        const category = '/' + article.split('/')[1];
        const pages = [
          ['/', 200],
          [category, 200],
          [article, 200],
          [`${article}?danh-gia=da-ghi`, 200],
          [`${article}/in`, 200],
          ['/tim-kiem', 200],
          ['/tim-kiem?q=b%E1%BA%A3o%20t%C3%A0ng', 200],
          ['/tim-kiem?q=khongcotunaynhe', 200],
          ['/khong-co-chuyen-muc-nay', 404],
        ];
        for (const [path, status] of pages)
          await t.visit(page, path, `${lang}-${path}`, status);
        // A later page of a list, when there is one.
        await t.visit(page, category, `${lang}-category`);
        const next = page.locator('a[rel="next"]');
        if (await next.count())
          await t.submit(page, next.first(), `${lang}-category-next`);
      }
    },
  },
];
