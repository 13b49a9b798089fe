/*
 * visitor.c - keyed visitor ids and crawler detection (see visitor.h).
 */
#include "model/visitor.h"

#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "model/settings.h"

#define SECRET_KEY "visitor_secret"

/* ---- the site secret ---------------------------------------------------- */

int visitor_secret_load(db_t *db, unsigned char key[VISITOR_KEY_BYTES])
{
	return settings_secret(db, SECRET_KEY, key, VISITOR_KEY_BYTES);
}

/* ---- ids ------------------------------------------------------------------ */

void visitor_id(const unsigned char key[VISITOR_KEY_BYTES], const char *addr, const char *ua,
		char out[VISITOR_ID_LEN + 1])
{
	crypto_generichash_state state;
	unsigned char hash[VISITOR_ID_LEN / 2];
	if (addr == NULL)
		addr = "";
	if (ua == NULL)
		ua = "";
	/* The NUL between the parts keeps ("1.2.3.45", "x") and ("1.2.3.4",
	 * "5x") apart. */
	crypto_generichash_init(&state, key, VISITOR_KEY_BYTES, sizeof hash);
	crypto_generichash_update(&state, (const unsigned char *)addr, strnlen(addr, VISITOR_ADDR_MAX));
	crypto_generichash_update(&state, (const unsigned char *)"", 1);
	crypto_generichash_update(&state, (const unsigned char *)ua, strnlen(ua, VISITOR_UA_MAX));
	crypto_generichash_final(&state, hash, sizeof hash);
	sodium_bin2hex(out, VISITOR_ID_LEN + 1, hash, sizeof hash);
}

bool visitor_id_valid(const char *s)
{
	if (s == NULL)
		return false;
	size_t i = 0;
	for (; i < VISITOR_ID_LEN; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[i] == '\0';
}

/* ---- crawlers --------------------------------------------------------------- */

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* Case-insensitive search for an ASCII lower-case needle in s[0..len);
 * returns the offset or -1. */
static long find_token(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;
		while (k < n && lower(s[i + k]) == needle[k])
			k++;
		if (k == n)
			return (long)i;
	}
	return -1;
}

bool visitor_is_bot(const char *user_agent)
{
	static const char *const tokens[] = {
		"crawl", "spider", "slurp", "facebookexternalhit", "mediapartners",
	};
	if (user_agent == NULL || user_agent[0] == '\0')
		return true;
	size_t len = strnlen(user_agent, VISITOR_UA_MAX);
	for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
		if (find_token(user_agent, len, tokens[i]) >= 0)
			return true;
	/* "bot" ends the names of most crawlers; look at every occurrence so
	 * that a "Cubot" phone earlier in the string cannot hide "Googlebot". */
	for (size_t from = 0; from < len;) {
		long at = find_token(user_agent + from, len - from, "bot");
		if (at < 0)
			break;
		size_t pos = from + (size_t)at;
		bool cubot = pos >= 2 && lower(user_agent[pos - 2]) == 'c' &&
			     lower(user_agent[pos - 1]) == 'u';
		if (!cubot)
			return true;
		from = pos + 3;
	}
	return false;
}
