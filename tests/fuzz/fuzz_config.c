/*
 * fuzz_config.c - the sen.ini parser (config_load_buffer) on arbitrary
 * bytes, plus the fmt.h parsers that read outside input (parse_iso8601,
 * parse_utc_offset, parse_int64) on the same bytes as a C string.
 *
 * Invariants: no crash or leak; on failure the config is unchanged and the
 * message starts with the name given; on success every text field is
 * terminated and config_validate/config_listen_split/config_print_help run;
 * a parsed date formats back to the same instant; a parsed int64 prints
 * back to the same digits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/fmt.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sen_config c, before;
	char err[512];
	config_defaults(&c);
	before = c;
	err[0] = '\0';
	int rc = config_load_buffer(&c, "fuzz.ini", (const char *)data, size, err, sizeof err);
	if (rc != 0) {
		CHECK(rc == -1);
		CHECK(memcmp(&c, &before, sizeof c) == 0);
		CHECK(strncmp(err, "fuzz.ini:", 9) == 0);
	} else {
		CHECK(memchr(c.site_name, 0, sizeof c.site_name) != NULL);
		CHECK(memchr(c.base_url, 0, sizeof c.base_url) != NULL);
		CHECK(memchr(c.listen, 0, sizeof c.listen) != NULL);
		CHECK(memchr(c.trusted_proxy, 0, sizeof c.trusted_proxy) != NULL);
		CHECK(c.threads <= 256);
		char host[128];
		uint16_t port;
		/* A listen value accepted by the parser always splits. */
		CHECK(config_listen_split(&c, host, sizeof host, &port) == 0);
		(void)config_validate(&c, err, sizeof err);
	}

	/* The same bytes as one short C string for the fmt parsers. */
	char s[64];
	size_t n = size < sizeof s - 1 ? size : sizeof s - 1;
	memcpy(s, data, n);
	s[n] = '\0';
	int64_t t, t2, v;
	if (parse_iso8601(s, 7 * 3600, &t) == 0) {
		char iso[64];
		fmt_iso8601(iso, sizeof iso, t, 7 * 3600);
		CHECK(parse_iso8601(iso, 0, &t2) == 0 && t2 == t);
	}
	int off;
	if (parse_utc_offset(s, &off) == 0)
		CHECK(off > -24 * 3600 && off < 24 * 3600);
	if (parse_int64(s, &v) == 0) {
		char back[32];
		snprintf(back, sizeof back, "%" PRId64, v);
		/* Equal after dropping leading zeros and "-0". */
		const char *p = s;
		int neg = *p == '-';
		p += neg;
		while (*p == '0' && p[1] != '\0')
			p++;
		char want[70];
		snprintf(want, sizeof want, "%s%s", neg && strcmp(p, "0") != 0 ? "-" : "", p);
		CHECK(strcmp(back, want) == 0);
	}
	return 0;
}
