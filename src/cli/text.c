/*
 * text.c - what the commands do to the text a person types before it is
 * stored: bring it to NFC, as the web forms and the API do (core/text.h),
 * so a name typed with its marks apart (NFD, as some keyboards, macOS
 * terminals and pasted file names send it) is stored, and compares, as
 * the same name typed on the site.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/text.h"

/* The copies live as long as the command: it is short, and what it stores
 * is read from them until it ends. */
static arena_t *copies;

const char *cli_nfc(const char *s)
{
	if (s == NULL)
		return NULL;
	if (copies == NULL && (copies = arena_new(1024)) == NULL)
		return NULL;
	const char *out = text_nfc_arena(copies, s, strlen(s), NULL);
	if (out == NULL)
		fprintf(stderr, "sen: \"%s\" không phải văn bản UTF-8 hợp lệ.\n", s);
	return out;
}

int cli_nfc_secret(char *buf, size_t size)
{
	buf_t b = BUF_INIT;
	size_t len = strlen(buf);
	int rc = text_nfc(buf, len, &b) == 0 && !b.failed && b.len < size ? 0 : -1;
	if (rc == 0 && (b.len != len || memcmp(b.data, buf, len) != 0)) {
		sodium_memzero(buf, size);
		memcpy(buf, b.data, b.len);
	}
	if (b.data != NULL)
		sodium_memzero(b.data, b.size);
	buf_free(&b);
	return rc;
}
