/*
 * article_sql.h - the rules about articles that SQL statements spell, in one
 * place, for every model that queries the articles table (article, search,
 * sitemap, related, rating, comment, stats) without pulling in article.h.
 */
#ifndef SEN_MODEL_ARTICLE_SQL_H
#define SEN_MODEL_ARTICLE_SQL_H

/*
 * "The article is public", the one spelling of the rule in SQL: published,
 * and its publication time has come. A condition on the articles table with
 * a column prefix t ("" or "a."), whose one parameter, bound where it
 * stands, is the time now. Every query that shows articles to readers uses
 * it, so the rule changes in one place. ARTICLE_PUBLISHED_SQL is the status
 * half alone (the scheduler, and queries that check the time later). 2 is
 * ARTICLE_PUBLISHED of enum article_status; article.c checks they agree.
 */
#define ARTICLE_PUBLISHED_SQL(t) t "status = 2"
#define ARTICLE_PUBLIC_SQL(t) ARTICLE_PUBLISHED_SQL(t) " AND " t "published_at <= ?"

#endif
