/*
 * fuzz_json.c - API request bodies (JSON) as the rating and comment
 * handlers read them: jansson parses the body, then the fields are taken
 * out the way the API documents them (issue 3):
 *   POST /api/v1/articles/ID/rating    {"stars": N}            N integer 1..5
 *   POST /api/v1/articles/ID/comments  {"name", "email", "body",
 *                                       "captcha_id", "captcha_answer"}
 * and the comment goes through comment_validate(), the model's own check.
 * Parsing uses the flags of feedback_json_body() (portal/feedback.c:
 * json_loadb with JSON_REJECT_DUPLICATES, objects only); the handlers' field
 * readers are static there and need a request, so the extraction here
 * follows the documented rules rather than calling them.
 *
 * Invariants (abort on violation, so libFuzzer reports it):
 *  - parsing stops within the body cap (1 MiB) and never crashes, at any
 *    nesting depth;
 *  - a string jansson hands over has no NUL inside (JSON_ALLOW_NUL is not
 *    used) and is valid UTF-8;
 *  - accepted stars are 1..5 integers (3.5, 0, 6, text, huge are refused);
 *  - comment_validate() answers 0, or -1 with a problem code and the field
 *    at fault (name, email or body);
 *  - what the API would send back (json_dumps) parses to an equal value.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/text.h"
#include "model/captcha.h"
#include "model/comment.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)
#define BODY_MAX (1024 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	return 0;
}

/* A string field or NULL (absent, null or another type: the handler
 * answers 400 for the wrong type). */
static const char *string_field(json_t *o, const char *key, int *wrong_type)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*wrong_type = 1;
		return NULL;
	}
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	CHECK(strlen(s) == len);
	CHECK(utf8_valid(s, len));
	return s;
}

/* 1..5, or 0 for anything the rating API must refuse. */
static int stars_field(json_t *o)
{
	json_t *v = json_object_get(o, "stars");
	if (!json_is_integer(v))
		return 0;
	json_int_t n = json_integer_value(v);
	return n >= 1 && n <= 5 ? (int)n : 0;
}

static int hex_id(const char *s)
{
	return s != NULL && strlen(s) == CAPTCHA_ID_LEN &&
	       strspn(s, "0123456789abcdef") == CAPTCHA_ID_LEN;
}

static void comment_fields(json_t *o)
{
	int wrong = 0;
	comment_input in = {1, NULL, NULL, NULL, NULL};
	in.name = string_field(o, "name", &wrong);
	in.email = string_field(o, "email", &wrong);
	in.body = string_field(o, "body", &wrong);
	const char *cid = string_field(o, "captcha_id", &wrong);
	const char *answer = string_field(o, "captcha_answer", &wrong);
	(void)hex_id(cid);
	if (answer != NULL && strlen(answer) > CAPTCHA_ANSWER_MAX)
		answer = NULL;
	model_problem why;
	int rc = comment_validate(&in, &why);
	CHECK(rc == 0 || rc == -1);
	CHECK((rc == 0) == (why.code == COMMENT_OK));
	if (rc == -1)
		CHECK(why.field != NULL && (strcmp(why.field, "name") == 0 ||
					    strcmp(why.field, "email") == 0 ||
					    strcmp(why.field, "body") == 0));
}

/* What the API sends back must read back as the same value. */
static void round_trip(json_t *root)
{
	char *out = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
	if (out == NULL)
		return;
	CHECK(utf8_valid(out, strlen(out)));
	json_error_t err;
	json_t *again = json_loads(out, JSON_DECODE_ANY, &err);
	CHECK(again != NULL);
	/* Reals may print in a form that reads back as a slightly different
	 * double, so only the strings of an object are compared: they are what
	 * a reader typed and what the API echoes. */
	if (json_is_object(root)) {
		const char *k;
		json_t *v;
		json_object_foreach(root, k, v) {
			if (json_is_string(v))
				CHECK(json_equal(v, json_object_get(again, k)));
		}
	}
	json_decref(again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > BODY_MAX)
		return 0;
	json_error_t err;
	json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		/* The handler quotes nothing of jansson's message to the client, but
		 * the log line must still be a C string within the struct. */
		CHECK(memchr(err.text, '\0', sizeof err.text) != NULL);
		return 0;
	}
	if (json_is_object(root)) {
		int stars = stars_field(root);
		CHECK(stars >= 0 && stars <= 5);
		comment_fields(root);
	}
	round_trip(root);
	json_decref(root);
	return 0;
}
