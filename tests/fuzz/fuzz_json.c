/*
 * fuzz_json.c - JSON request bodies through the real API handlers.
 *
 * On the first input the app is brought up as `sen serve` brings it up
 * (src/app.c: paths, settings, templates and catalogs, a new database on a
 * temporary data folder, migrated), one public article is stored, and the
 * server starts in-process (loopback, any free port) with the portal's own
 * route table, error page and hooks. Every input is then posted, as it is,
 * as the body of each public route that reads a JSON body (web_json_body):
 *   POST /api/v1/articles/ID/rating     (api_rating)
 *   POST /api/v1/articles/ID/comments   (api_comments)
 *   POST /api/v1/captcha                (api_captcha)
 * so what is fuzzed is the handler itself: body limits, jansson, the NFC
 * pass over strings, the field readers, the models behind them. An input
 * that is a JSON object is posted once more as a comment, with a CAPTCHA
 * made for it and answered right (test.captcha_reveal), so the comment's
 * own checks and its storing run too. Every connection comes from one of
 * 250 loopback addresses in turn; past the budgets of an address (docs/
 * VISITORS.md) the answer is 429, which is one of the known ones.
 *
 * Checked for every answer (abort, so libFuzzer reports it): it comes; its
 * status is one the API documents (docs/API.md) - never 500, which would be
 * a crash of the handler's logic rather than a refusal; its Content-Type is
 * JSON; its body parses as a JSON object; an error has a string "error" and
 * a string "message", a success the members its route promises.
 * SEN_FUZZ_VERBOSE=1 prints each answer and lets the server log.
 */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "core/log.h"
#include "db/db.h"
#include "http/http.h"
#include "portal/portal.h"
#include "web/web.h"

#include "fuzz_net.h"

/* The handlers' own caps are below 64 KiB; a larger body must get 413. */
#define FUZZ_MAX_INPUT (128 * 1024)

static http_server *srv;
static uint16_t port;
static char data_dir[64];
static char article_path[64]; /* "/api/v1/articles/ID" of the public article */

/* What `sen serve` answers a cross-site form post with; no JSON route asks. */
static int same_site(http_req *req, http_res *res)
{
	if (!web_cross_site(req))
		return 0;
	portal_refusal_page(req, res, 403, "cross_site", "web_cross_site");
	return 403;
}

static void stop(void)
{
	http_server_stop(srv);
	db_thread_close();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "json: could not remove %s\n", data_dir);
}

/* One category and one published article, as the back office would leave
 * them; the article's id goes into article_path. */
static int seed(void)
{
	db_t *db = db_get();
	if (db == NULL ||
	    db_exec(db, "INSERT INTO categories (slug, name) VALUES ('tin-tuc', 'Tin tức');"
			"INSERT INTO articles (category_id, slug, title, summary, body_html, status,"
			" published_at) SELECT id, 'bai-thu', 'Bài thử', '', '<p>Nội dung.</p>', 2,"
			" 1500000000 FROM categories WHERE slug = 'tin-tuc'") != 0)
		return -1;
	db_stmt *st = db_prepare(db, "SELECT id FROM articles WHERE slug = 'bai-thu'");
	if (st == NULL || db_step(st) != DB_ROW)
		return -1;
	snprintf(article_path, sizeof article_path, "/api/v1/articles/%lld",
		 (long long)db_col_int64(st, 0));
	db_done(st);
	return 0;
}

static int start(void)
{
	bool verbose = getenv("SEN_FUZZ_VERBOSE") != NULL;
	log_set_level(verbose ? LOG_INFO : LOG_ERROR);
	/* The shipped files (sql/, themes/, locale/) are this source tree's. */
	if (getenv("SEN_SHARE_DIR") == NULL && setenv("SEN_SHARE_DIR", SEN_FUZZ_SHARE_DIR, 1) != 0)
		return -1;
	snprintf(data_dir, sizeof data_dir, "/tmp/sen-fuzz-json-XXXXXX");
	if (mkdtemp(data_dir) == NULL)
		return -1;
	app_t *app = app_paths(data_dir);
	/* The CAPTCHA's answer comes with it, for the answered comments below
	 * (allowed on a loopback listen only; the server here binds its own). */
	app_flag flags[] = {{"server.listen", "127.0.0.1:8080"}, {"test.captcha_reveal", "1"}};
	if (app == NULL || app_settings(app, flags, 2) != 0 || app_load_templates(app) != 0 ||
	    app_open_database(app, true) != 0 || seed() != 0)
		return -1;
	static http_route_table table;
	table = (http_route_table){portal_routes, portal_nroutes};
	http_server_config cfg = {
		.max_body = app->cfg.max_body,
		.same_site = same_site,
		.error_page = portal_error_page,
		.before = portal_before,
		.app = app,
		.quiet = !verbose,
	};
	srv = fuzz_server_start(&cfg, &table, &port, stop);
	return srv != NULL ? 0 : -1;
}

/* The whole answer into a malloc'd string (*len bytes); NULL on no answer. */
static char *read_answer(int fd, size_t *len)
{
	size_t cap = 8192, got = 0;
	char *out = malloc(cap);
	while (out != NULL) {
		if (got + 1 == cap) {
			char *bigger = realloc(out, cap *= 2);
			if (bigger == NULL)
				break;
			out = bigger;
		}
		ssize_t r = recv(fd, out + got, cap - 1 - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (out == NULL || got == 0) {
		free(out);
		return NULL;
	}
	out[got] = '\0';
	*len = got;
	return out;
}

/* What each route may answer (docs/API.md), and what a success carries. */
typedef struct {
	const char *name;   /* after article_path, or a whole path when absolute */
	bool absolute;
	int ok;             /* the success status */
	const char *ok_key; /* a member every success has */
	int refusals[8];    /* the error statuses it may send, 0-terminated */
} api_route;

static const api_route api_routes[] = {
	{"/rating", false, 200, "count", {400, 409, 413, 415, 429, 0}},
	{"/comments", false, 202, "id", {400, 404, 413, 415, 422, 429, 0}},
	{"/api/v1/captcha", true, 200, "id", {400, 404, 413, 415, 429, 0}},
};

static bool status_known(const api_route *r, int status)
{
	if (status == r->ok)
		return true;
	for (const int *s = r->refusals; *s != 0; s++)
		if (*s == status)
			return true;
	return false;
}

#define FAIL(...)                                                                             \
	do {                                                                                  \
		fprintf(stderr, "json: " __VA_ARGS__);                                          \
		abort();                                                                      \
	} while (0)

/* Posts body to the route and checks the answer; returns it (the caller
 * decrefs it). */
static json_t *post_to(const api_route *r, const void *body, size_t len)
{
	char path[128];
	snprintf(path, sizeof path, "%s%s", r->absolute ? "" : article_path, r->name);
	int fd = fuzz_connect(port, 2);
	if (fd < 0)
		FAIL("connect: %s\n", strerror(errno));
	char head[512];
	int n = snprintf(head, sizeof head,
			 "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 fuzz\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 path, len);
	fuzz_send_all(fd, head, (size_t)n);
	fuzz_send_all(fd, body, len);
	size_t got = 0;
	char *answer = read_answer(fd, &got);
	close(fd);
	if (answer == NULL)
		FAIL("%s: %zu bytes: no answer\n", path, len);
	int status = 0;
	const char *split = strstr(answer, "\r\n\r\n");
	if (sscanf(answer, "HTTP/1.1 %d", &status) != 1 || split == NULL)
		FAIL("%s: not an HTTP answer: %.80s\n", path, answer);
	if (getenv("SEN_FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "json: %s: %zu bytes: %d %.200s\n", path, len, status, split + 4);
	if (!status_known(r, status))
		FAIL("%s: %zu bytes: status %d is not one the API sends here\n%s\n", path, len,
		     status, answer);
	/* The headers up to the blank line: the body must be declared JSON. */
	const char *type = strcasestr(answer, "\r\nContent-Type: application/json");
	if (type == NULL || type > split)
		FAIL("%s: %d without a JSON Content-Type\n%s\n", path, status, answer);
	json_error_t err;
	json_t *o = json_loadb(split + 4, got - (size_t)(split + 4 - answer), 0, &err);
	if (!json_is_object(o))
		FAIL("%s: %d: the body is not a JSON object (%s)\n%s\n", path, status, err.text,
		     answer);
	if (status == r->ok) {
		if (json_object_get(o, r->ok_key) == NULL)
			FAIL("%s: %d without \"%s\"\n%s\n", path, status, r->ok_key, answer);
	} else if (!json_is_string(json_object_get(o, "error")) ||
		   !json_is_string(json_object_get(o, "message"))) {
		FAIL("%s: %d without \"error\" and \"message\"\n%s\n", path, status, answer);
	}
	free(answer);
	return o;
}

/* An input that is a JSON object is also sent as a comment with a fresh
 * CAPTCHA answered right, so the comment itself is checked and stored. */
static void post_answered(const uint8_t *data, size_t size)
{
	json_t *comment = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(comment)) {
		json_decref(comment);
		return;
	}
	json_t *captcha = post_to(&api_routes[2], "{}", 2);
	json_t *id = json_object_get(captcha, "id"), *answer = json_object_get(captcha, "answer");
	if (json_is_string(id) && json_is_string(answer)) {
		json_object_set(comment, "captcha_id", id);
		json_object_set(comment, "captcha_answer", answer);
		json_object_del(comment, "pow_challenge");
		char *body = json_dumps(comment, JSON_COMPACT);
		if (body != NULL)
			json_decref(post_to(&api_routes[1], body, strlen(body)));
		free(body);
	}
	json_decref(captcha);
	json_decref(comment);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	if (srv == NULL && start() != 0)
		FAIL("the app or the server did not start\n");
	for (size_t i = 0; i < sizeof api_routes / sizeof api_routes[0]; i++)
		json_decref(post_to(&api_routes[i], data, size));
	post_answered(data, size);
	return 0;
}
