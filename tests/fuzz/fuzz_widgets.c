/*
 * fuzz_widgets.c - what visitors send to the widgets, on any bytes:
 * comment_validate() on a name, email and body, visitor_is_bot() and
 * visitor_id() on a user agent.
 *
 * The input is split at the byte 0x1F into name, email, body and user agent
 * (missing parts are NULL). comment_validate() must return 0 or -1, and on
 * -1 name a problem and its field; accepted input must meet the limits
 * comment.h promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "fuzz_input.h"
#include "core/text.h"
#include "model/comment.h"
#include "model/visitor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INITIALIZE_QUIET

/* s without surrounding ASCII white space (as comment.c trims). */
static const char *trim(const char *s, size_t *len)
{
	if (s == NULL) {
		*len = 0;
		return "";
	}
	size_t n = strlen(s);
	while (n > 0 && strchr(" \t\n\r\f\v", *s) != NULL) {
		s++;
		n--;
	}
	while (n > 0 && strchr(" \t\n\r\f\v", s[n - 1]) != NULL)
		n--;
	*len = n;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_text(data, size, FUZZ_NO_LIMIT);
	char *parts[4];
	if (copy == NULL)
		return 0;
	fuzz_fields(copy, parts, 4);

	comment_input in = {1, parts[0], parts[1], parts[2], NULL};
	model_problem why;
	int rc = comment_validate(&in, &why);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (why.code <= COMMENT_OK || why.code > COMMENT_NOT_UTF8 || why.field == NULL))
		abort();
	if (rc == 0) {
		/* Accepted: a name without line breaks, a body within the limit. */
		size_t nlen, blen;
		const char *name = trim(parts[0], &nlen), *body = trim(parts[2], &blen);
		if (nlen == 0 || memchr(name, '\n', nlen) != NULL || memchr(name, '\r', nlen) != NULL)
			abort();
		size_t chars = utf8_length(body, blen);
		for (size_t i = 0; i + 1 < blen; i++)
			if (body[i] == '\r' && body[i + 1] == '\n')
				chars--;
		if (blen == 0 || chars > COMMENT_BODY_MAX)
			abort();
	}
	/* Without a problem to fill, the answer is the same. */
	if (comment_validate(&in, NULL) != rc)
		abort();

	unsigned char key[VISITOR_KEY_BYTES] = {0};
	char id[VISITOR_ID_LEN + 1];
	(void)visitor_is_bot(parts[3]);
	visitor_id(key, parts[0], parts[3], id);
	if (!visitor_id_valid(id))
		abort();
	free(copy);
	return 0;
}
