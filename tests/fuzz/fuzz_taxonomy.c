/*
 * fuzz_taxonomy.c - the checks the back office runs on category names and
 * slugs, tag names and link titles/addresses typed by people (model/category.h,
 * model/tag.h, model/link.h). The first line is the name or title, the rest
 * the slug or address.
 * Invariants: whatever link_check() accepts without LINK_ALLOW_PATH is an
 * absolute http(s) address; whatever category_check_slug() accepts is only
 * a-z 0-9 '-' and fits the table's CHECK.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz_input.h"
#include "model/category.h"
#include "model/link.h"
#include "model/tag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size, 8192);
	if (s == NULL)
		return 0;
	char *rest = strchr(s, '\n');
	if (rest != NULL)
		*rest++ = '\0';
	else
		rest = s + strlen(s);

	int p = category_check_name(s, NULL);
	if (p < 0 || p > CATEGORY_ORDER_STALE)
		abort();
	p = tag_check_name(s, NULL);
	if (p < 0 || p > TAG_MERGE_SELF)
		abort();
	if (category_check_slug(rest, NULL) == 0) {
		size_t n = strlen(rest);
		if (n == 0 || n > CATEGORY_SLUG_MAX || strspn(rest, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
			abort();
	}
	if (link_check(s, rest, 0) == LINK_OK &&
	    strncasecmp(rest, "http://", 7) != 0 && strncasecmp(rest, "https://", 8) != 0)
		abort();
	if (link_check(s, rest, LINK_ALLOW_PATH) == LINK_OK && rest[0] != '/' &&
	    strncasecmp(rest, "http", 4) != 0)
		abort();
	free(s);
	return 0;
}
