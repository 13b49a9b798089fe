/*
 * config.c - table-driven settings: defaults, sen.ini, SEN_* environment,
 * "section.key" flags, and the cross-field checks.
 *
 * Every setting is one row of `settings`; each source turns text into a
 * value through the same apply_value(), so a value means the same thing
 * wherever it comes from, and defaults are written as the text a user
 * would type (config_defaults() applies them like any other source).
 */
#include "core/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/fmt.h"
#include "core/text.h"

/* ------------------------------------------------------------------ */
/* The table                                                          */
/* ------------------------------------------------------------------ */

enum setting_type {
	T_STRING,  /* free text: valid UTF-8, no control characters */
	T_CHOICE,  /* one of `choices` ("vi|en") */
	T_UINT,    /* unsigned in min..max */
	T_SIZE,    /* size_t in min..max */
	T_BOOL,    /* 0 or 1, stored in an int */
	T_OFFSET,  /* UTC offset "+07:00", stored as seconds in an int */
	T_LISTEN,  /* ADDR:PORT */
	T_URL,     /* http(s)://... without trailing slash */
	T_ADDRESS, /* numeric IPv4/IPv6 address, or empty */
	T_USER,    /* account name (letters, digits, _ . -), or empty */
};

struct setting {
	const char *section, *key, *env;
	enum setting_type type;
	const char *def;
	int64_t min, max;
	const char *choices;
	size_t offset, size; /* the field in sen_config */
	const char *help;
};

#define FIELD(f) offsetof(sen_config, f), sizeof(((sen_config *)0)->f)

static const struct setting settings[] = {
	{"site", "name", "SEN_SITE_NAME", T_STRING,
	 "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ", 0, 0, NULL, FIELD(site_name),
	 "site name shown in titles and feeds"},
	{"site", "base_url", "SEN_BASE_URL", T_URL, "http://127.0.0.1:8080", 0, 0, NULL,
	 FIELD(base_url), "public URL of the site, no trailing slash"},
	{"site", "language", "SEN_LANGUAGE", T_CHOICE, "vi", 0, 0, "vi|en", FIELD(language),
	 "default language: vi or en"},
	{"site", "utc_offset", "SEN_UTC_OFFSET", T_OFFSET, "+07:00", 0, 0, NULL,
	 FIELD(utc_offset), "local time zone for dates shown, e.g. +07:00"},
	{"site", "admin_email", "SEN_ADMIN_EMAIL", T_STRING, "", 0, 0, NULL, FIELD(admin_email),
	 "contact address for harvesters (OAI-PMH); empty: webmaster@ the base URL's host"},
	{"site", "rights", "SEN_SITE_RIGHTS", T_STRING,
	 "http://rightsstatements.org/vocab/InC/1.0/", 0, 0, NULL, FIELD(rights),
	 "rights statement URI of the online collection (IIIF manifests)"},
	{"server", "listen", "SEN_LISTEN", T_LISTEN, "127.0.0.1:8080", 0, 0, NULL,
	 FIELD(listen), "address and port to listen on, e.g. 0.0.0.0:80 or [::1]:8080"},
	{"server", "threads", "SEN_THREADS", T_UINT, "0", 0, 256, NULL, FIELD(threads),
	 "worker threads (0 = one per core)"},
	{"server", "max_connections", "SEN_MAX_CONNECTIONS", T_UINT, "1024", 1, 65536, NULL,
	 FIELD(max_connections), "open connections in total"},
	{"server", "per_ip_connections", "SEN_PER_IP_CONNECTIONS", T_UINT, "64", 1, 65536, NULL,
	 FIELD(per_ip_connections), "open connections from one client address"},
	{"server", "connection_timeout", "SEN_CONNECTION_TIMEOUT", T_UINT, "30", 1, 3600, NULL,
	 FIELD(connection_timeout), "seconds before an idle connection is closed"},
	{"server", "connection_memory", "SEN_CONNECTION_MEMORY", T_SIZE, "16384", 4096,
	 16777216, NULL, FIELD(connection_memory),
	 "bytes per connection (holds the request header)"},
	{"server", "max_body", "SEN_MAX_BODY", T_SIZE, "1048576", 1024, 1073741824, NULL,
	 FIELD(max_body), "largest request body in bytes"},
	{"server", "trusted_proxy", "SEN_TRUSTED_PROXY", T_ADDRESS, "", 0, 0, NULL,
	 FIELD(trusted_proxy), "address of a reverse proxy whose X-Forwarded-For is believed"},
	{"server", "user", "SEN_SERVER_USER", T_USER, "", 0, 0, NULL, FIELD(user),
	 "account to serve as when started as root (empty: sen if it exists, else nobody; "
	 "none: stay root, development only)"},
	{"storage", "synchronous", "SEN_SYNCHRONOUS", T_CHOICE, "normal", 0, 0, "normal|full",
	 FIELD(synchronous), "SQLite synchronous mode: normal or full"},
	{"oai", "page_size", "SEN_OAI_PAGE_SIZE", T_UINT, "500", 1, 1000, NULL,
	 FIELD(oai_page_size), "records per OAI-PMH list page (then a resumption token)"},
	{"oai", "token_ttl", "SEN_OAI_TOKEN_TTL", T_UINT, "86400", 1, 2592000, NULL,
	 FIELD(oai_token_ttl), "seconds an OAI-PMH resumption token stays valid"},
	{"oai", "sets", "SEN_OAI_SETS", T_BOOL, "1", 0, 1, NULL, FIELD(oai_sets),
	 "offer OAI-PMH sets (by class); 0 answers noSetHierarchy"},
	{"oai", "rights", "SEN_OAI_RIGHTS", T_STRING, "", 0, 0, NULL, FIELD(oai_rights),
	 "dc:rights of every OAI-PMH record; empty: a sentence naming the site"},
	{"test", "captcha_reveal", "SEN_TEST_CAPTCHA_REVEAL", T_BOOL, "0", 0, 1, NULL,
	 FIELD(test_captcha_reveal), "tests only: show captcha answers (loopback listen only)"},
};

#define N_SETTINGS (sizeof settings / sizeof settings[0])

/* UTC offsets in use on Earth. */
#define OFFSET_MIN (-12 * 3600)
#define OFFSET_MAX (14 * 3600)

static const struct setting *find_setting(const char *section, size_t section_len,
					  const char *key)
{
	for (size_t i = 0; i < N_SETTINGS; i++)
		if (strlen(settings[i].section) == section_len &&
		    memcmp(settings[i].section, section, section_len) == 0 &&
		    strcmp(settings[i].key, key) == 0)
			return &settings[i];
	return NULL;
}

static bool known_section(const char *section)
{
	for (size_t i = 0; i < N_SETTINGS; i++)
		if (strcmp(settings[i].section, section) == 0)
			return true;
	return false;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Value checks                                                       */
/* ------------------------------------------------------------------ */

/* Parses "ADDR:PORT" / "[V6]:PORT" with a numeric address. */
static int split_listen(const char *s, char *host, size_t hostlen, uint16_t *port, int *family)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *colon;
	size_t alen;
	unsigned char bin[16];
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		alen = (size_t)(close - s - 1);
		if (alen == 0 || alen >= sizeof addr)
			return -1;
		memcpy(addr, s + 1, alen);
		addr[alen] = '\0';
		if (inet_pton(AF_INET6, addr, bin) != 1)
			return -1;
		*family = AF_INET6;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		alen = (size_t)(colon - s);
		if (alen == 0 || alen >= sizeof addr)
			return -1;
		memcpy(addr, s, alen);
		addr[alen] = '\0';
		if (inet_pton(AF_INET, addr, bin) != 1)
			return -1;
		*family = AF_INET;
	}
	const char *p = colon + 1;
	size_t plen = strlen(p);
	if (plen == 0 || plen > 5 || strspn(p, "0123456789") != plen)
		return -1;
	long v = strtol(p, NULL, 10);
	if (v < 1 || v > 65535)
		return -1;
	if (host != NULL) {
		if (alen >= hostlen)
			return -1;
		memcpy(host, addr, alen + 1);
	}
	*port = (uint16_t)v;
	return 0;
}

static bool is_loopback(const char *host, int family)
{
	unsigned char bin[16];
	if (family == AF_INET)
		return inet_pton(AF_INET, host, bin) == 1 && bin[0] == 127;
	if (inet_pton(AF_INET6, host, bin) != 1)
		return false;
	static const unsigned char v6_loopback[16] = {[15] = 1};
	static const unsigned char v4_mapped[12] = {[10] = 0xff, [11] = 0xff};
	if (memcmp(bin, v6_loopback, 16) == 0)
		return true;
	return memcmp(bin, v4_mapped, 12) == 0 && bin[12] == 127;
}

static bool valid_address(const char *s)
{
	unsigned char bin[16];
	return inet_pton(AF_INET, s, bin) == 1 || inet_pton(AF_INET6, s, bin) == 1;
}

/* http(s)://HOST[:PORT][/PATH], HOST a name, IPv4 or [IPv6]; no query,
 * fragment, user info, blanks or trailing '/'. */
static bool valid_base_url(const char *s)
{
	const char *p;
	if (strncmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		p = s + 8;
	else
		return false;
	size_t host = 0;
	if (*p == '[') {
		const char *close = strchr(p, ']');
		if (close == NULL)
			return false;
		char v6[INET6_ADDRSTRLEN + 1];
		size_t n = (size_t)(close - p - 1);
		unsigned char bin[16];
		if (n == 0 || n >= sizeof v6)
			return false;
		memcpy(v6, p + 1, n);
		v6[n] = '\0';
		if (inet_pton(AF_INET6, v6, bin) != 1)
			return false;
		p = close + 1;
		host = n;
	} else {
		host = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
		p += host;
	}
	if (host == 0)
		return false;
	if (*p == ':') {
		p++;
		size_t n = strspn(p, "0123456789");
		if (n == 0 || n > 5 || strtol(p, NULL, 10) > 65535)
			return false;
		p += n;
	}
	if (*p != '\0' && *p != '/')
		return false;
	for (const char *q = p; *q != '\0'; q++) {
		unsigned char c = (unsigned char)*q;
		if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}?#", c) != NULL)
			return false;
	}
	size_t len = strlen(s);
	return s[len - 1] != '/';
}

/* A login name as useradd accepts it: 1..32 of [A-Za-z0-9_.-], not starting
 * with '-' (it would read as an option in the advice we print). */
static bool valid_user(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return true;
	if (n > 32 || s[0] == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

static bool valid_offset(int seconds)
{
	return seconds >= OFFSET_MIN && seconds <= OFFSET_MAX && seconds % 60 == 0;
}

static bool is_choice(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;
	while (*p != '\0') {
		size_t k = strcspn(p, "|");
		if (k == n && memcmp(p, v, n) == 0 && n > 0)
			return true;
		p += k;
		if (*p == '|')
			p++;
	}
	return false;
}

/* "vi|en" -> "vi, en" for messages. */
static void choices_list(const char *choices, char *out, size_t outlen)
{
	size_t o = 0;
	for (const char *p = choices; *p != '\0' && o + 3 < outlen; p++) {
		if (*p == '|') {
			out[o++] = ',';
			out[o++] = ' ';
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}

/* Stores text v into the row's field of c; -1 with why. */
static int apply_value(sen_config *c, const struct setting *s, const char *v, char *why,
		       size_t whylen)
{
	char *field = (char *)c + s->offset;
	size_t vlen = strlen(v);
	switch (s->type) {
	case T_UINT:
	case T_SIZE:
	case T_BOOL: {
		int64_t n;
		if (parse_int64(v, &n) != 0) {
			if (s->type == T_BOOL)
				set_err(why, whylen, "'%s' must be 0 or 1", s->key);
			else
				set_err(why, whylen, "'%s' must be a whole number", s->key);
			return -1;
		}
		if (n < s->min || n > s->max) {
			if (s->type == T_BOOL)
				set_err(why, whylen, "'%s' must be 0 or 1", s->key);
			else
				set_err(why, whylen, "value out of range: '%s' must be %lld..%lld",
					s->key, (long long)s->min, (long long)s->max);
			return -1;
		}
		if (s->type == T_UINT) {
			unsigned u = (unsigned)n;
			memcpy(field, &u, sizeof u);
		} else if (s->type == T_SIZE) {
			size_t z = (size_t)n;
			memcpy(field, &z, sizeof z);
		} else {
			int i = (int)n;
			memcpy(field, &i, sizeof i);
		}
		return 0;
	}
	case T_OFFSET: {
		int off;
		if (parse_utc_offset(v, &off) != 0 || !valid_offset(off)) {
			set_err(why, whylen, "'%s' must be like +07:00 (from -12:00 to +14:00)",
				s->key);
			return -1;
		}
		memcpy(field, &off, sizeof off);
		return 0;
	}
	default:
		break;
	}
	/* Text fields. */
	if (vlen >= s->size) {
		set_err(why, whylen, "value too long: '%s' is at most %zu bytes", s->key,
			s->size - 1);
		return -1;
	}
	if (!utf8_valid(v, vlen)) {
		set_err(why, whylen, "'%s' is not valid UTF-8", s->key);
		return -1;
	}
	for (size_t i = 0; i < vlen; i++) {
		unsigned char ch = (unsigned char)v[i];
		if (ch < 0x20 || ch == 0x7f) {
			set_err(why, whylen, "'%s' must not contain control characters", s->key);
			return -1;
		}
	}
	bool ok = true;
	uint16_t port;
	int family;
	char list[64];
	switch (s->type) {
	case T_CHOICE:
		ok = is_choice(s->choices, v);
		if (!ok) {
			choices_list(s->choices, list, sizeof list);
			set_err(why, whylen, "'%s' must be one of: %s", s->key, list);
		}
		break;
	case T_LISTEN:
		ok = split_listen(v, NULL, 0, &port, &family) == 0;
		if (!ok)
			set_err(why, whylen,
				"'%s' must be ADDR:PORT with a numeric address and a port 1..65535, "
				"e.g. 127.0.0.1:8080 or [::1]:8080", s->key);
		break;
	case T_URL:
		ok = valid_base_url(v);
		if (!ok)
			set_err(why, whylen,
				"'%s' must be http://HOST[:PORT][/PATH] or https://... "
				"without a trailing '/'", s->key);
		break;
	case T_ADDRESS:
		ok = vlen == 0 || valid_address(v);
		if (!ok)
			set_err(why, whylen, "'%s' must be an IPv4 or IPv6 address, or empty",
				s->key);
		break;
	case T_USER:
		ok = valid_user(v);
		if (!ok)
			set_err(why, whylen,
				"'%s' must be an account name (letters, digits, _ . -; at most 32), "
				"none, or empty", s->key);
		break;
	default:
		break;
	}
	if (!ok)
		return -1;
	memset(field, 0, s->size);
	memcpy(field, v, vlen);
	return 0;
}

void config_defaults(sen_config *c)
{
	char why[256];
	memset(c, 0, sizeof *c);
	/* The defaults are constants checked by the unit tests; a failure here
	 * would leave the field zeroed, which config_validate() then reports. */
	for (size_t i = 0; i < N_SETTINGS; i++)
		(void)apply_value(c, &settings[i], settings[i].def, why, sizeof why);
}

/* ------------------------------------------------------------------ */
/* sen.ini                                                            */
/* ------------------------------------------------------------------ */

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trims blanks in place; returns the start. */
static char *trim(char *s)
{
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * Unquotes a "..." value in place (q points at the opening quote).
 * Returns NULL with why on an unterminated quote, a bad escape, or text
 * after the closing quote.
 */
static char *unquote(char *q, char *why, size_t whylen)
{
	char *r = q + 1, *w = q;
	for (;;) {
		if (*r == '\0') {
			set_err(why, whylen, "unterminated quote");
			return NULL;
		}
		if (*r == '"')
			break;
		if (*r == '\\') {
			if (r[1] != '"' && r[1] != '\\') {
				set_err(why, whylen,
					"bad escape in quoted value (only \\\" and \\\\ are allowed)");
				return NULL;
			}
			r++;
		}
		*w++ = *r++;
	}
	r++;
	while (is_blank(*r))
		r++;
	if (*r != '\0') {
		set_err(why, whylen, "unexpected text after the closing quote");
		return NULL;
	}
	*w = '\0';
	return q;
}

/* Parses one line (already NUL-terminated, no newline). why gets the reason. */
static int parse_line(sen_config *c, char *line, char *section, size_t section_size,
		      char *why, size_t whylen)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		size_t n = strlen(s);
		if (s[n - 1] != ']') {
			set_err(why, whylen, "missing ']' after the section name");
			return -1;
		}
		s[n - 1] = '\0';
		char *name = trim(s + 1);
		if (!known_section(name)) {
			set_err(why, whylen, "unknown section [%.64s]", name);
			return -1;
		}
		snprintf(section, section_size, "%s", name);
		return 0;
	}
	char *eq = strchr(s, '=');
	if (eq == NULL) {
		set_err(why, whylen, "missing '=' in '%.64s'", s);
		return -1;
	}
	*eq = '\0';
	char *key = trim(s);
	char *value = trim(eq + 1);
	if (*key == '\0') {
		set_err(why, whylen, "missing key before '='");
		return -1;
	}
	if (section[0] == '\0') {
		set_err(why, whylen, "key '%.64s' outside a [section]", key);
		return -1;
	}
	const struct setting *row = find_setting(section, strlen(section), key);
	if (row == NULL) {
		set_err(why, whylen, "unknown key '%.64s' in [%s]", key, section);
		return -1;
	}
	if (*value == '"' && unquote(value, why, whylen) == NULL)
		return -1;
	return apply_value(c, row, value, why, whylen);
}

int config_load_buffer(sen_config *c, const char *name, const char *data, size_t len,
		       char *err, size_t errlen)
{
	char line[CONFIG_MAX_LINE + 1];
	char section[32] = "";
	char why[256];
	if (len > CONFIG_MAX_FILE) {
		set_err(err, errlen, "%s: file too large (more than %d bytes)", name,
			CONFIG_MAX_FILE);
		return -1;
	}
	/* Work on a copy so that a bad file changes nothing. */
	sen_config tmp = *c;
	size_t pos = 0;
	unsigned line_no = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		line_no++;
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - data) : len;
		size_t n = end - pos;
		if (n > 0 && data[end - 1] == '\r')
			n--;
		if (n > CONFIG_MAX_LINE) {
			set_err(err, errlen, "%s:%u: line too long (more than %d bytes)", name,
				line_no, CONFIG_MAX_LINE);
			return -1;
		}
		if (!utf8_valid(data + pos, n)) {
			set_err(err, errlen, "%s:%u: invalid UTF-8 or NUL byte", name, line_no);
			return -1;
		}
		memcpy(line, data + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (parse_line(&tmp, line, section, sizeof section, why, sizeof why) != 0) {
			set_err(err, errlen, "%s:%u: %s", name, line_no, why);
			return -1;
		}
	}
	*c = tmp;
	return 0;
}

int config_load_file(sen_config *c, const char *path, int optional, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		if (errno == ENOENT && optional)
			return 0;
		set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	/* One byte more than allowed tells "too large" from "exactly full". */
	char *data = malloc(CONFIG_MAX_FILE + 1);
	int rc = -1;
	if (data == NULL) {
		set_err(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	size_t n = fread(data, 1, CONFIG_MAX_FILE + 1, f);
	if (ferror(f)) {
		set_err(err, errlen, "%s: read error", path);
		goto fail;
	}
	rc = config_load_buffer(c, path, data, n, err, errlen);
fail:
	free(data);
	fclose(f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Environment and flags                                              */
/* ------------------------------------------------------------------ */

int config_load_env(sen_config *c, char *err, size_t errlen)
{
	char why[256];
	sen_config tmp = *c;
	for (size_t i = 0; i < N_SETTINGS; i++) {
		const char *v = getenv(settings[i].env);
		if (v == NULL)
			continue;
		if (apply_value(&tmp, &settings[i], v, why, sizeof why) != 0) {
			set_err(err, errlen, "%s: %s", settings[i].env, why);
			return -1;
		}
	}
	*c = tmp;
	return 0;
}

int config_set(sen_config *c, const char *key, const char *value, char *err, size_t errlen)
{
	char why[256];
	const char *dot = strchr(key, '.');
	const struct setting *row = NULL;
	if (dot != NULL)
		row = find_setting(key, (size_t)(dot - key), dot + 1);
	if (row == NULL) {
		set_err(err, errlen, "unknown setting '%.64s' (expected section.key, e.g. "
			"server.listen)", key);
		return -1;
	}
	if (apply_value(c, row, value, why, sizeof why) != 0) {
		set_err(err, errlen, "%s: %s", key, why);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Cross-field checks                                                 */
/* ------------------------------------------------------------------ */

static bool terminated(const char *field, size_t size)
{
	return memchr(field, '\0', size) != NULL;
}

int config_validate(const sen_config *c, char *err, size_t errlen)
{
	char why[256];
	sen_config probe;
	/* Re-apply every text field through its setter, so a struct filled by
	 * hand meets the same rules as one read from a file. */
	for (size_t i = 0; i < N_SETTINGS; i++) {
		const struct setting *s = &settings[i];
		if (s->type == T_UINT || s->type == T_SIZE || s->type == T_BOOL ||
		    s->type == T_OFFSET)
			continue;
		const char *field = (const char *)c + s->offset;
		if (!terminated(field, s->size)) {
			set_err(err, errlen, "%s.%s: not terminated", s->section, s->key);
			return -1;
		}
		if (apply_value(&probe, s, field, why, sizeof why) != 0) {
			set_err(err, errlen, "%s.%s: %s", s->section, s->key, why);
			return -1;
		}
	}
	if (!valid_offset(c->utc_offset)) {
		set_err(err, errlen, "site.utc_offset: must be whole minutes from -12:00 to +14:00");
		return -1;
	}
	if (c->threads > 256) {
		set_err(err, errlen, "server.threads: value out of range: 'threads' must be 0..256");
		return -1;
	}
	if (c->max_connections == 0 || c->per_ip_connections == 0 ||
	    c->connection_timeout == 0 || c->connection_memory < 4096 || c->max_body < 1024) {
		set_err(err, errlen, "server: connection limits must not be zero");
		return -1;
	}
	if (c->per_ip_connections > c->max_connections) {
		set_err(err, errlen,
			"server.per_ip_connections (%u) must not exceed server.max_connections (%u)",
			c->per_ip_connections, c->max_connections);
		return -1;
	}
	if (c->test_captcha_reveal != 0 && c->test_captcha_reveal != 1) {
		set_err(err, errlen, "test.captcha_reveal: must be 0 or 1");
		return -1;
	}
	char host[INET6_ADDRSTRLEN + 1];
	uint16_t port;
	int family;
	if (split_listen(c->listen, host, sizeof host, &port, &family) != 0) {
		set_err(err, errlen, "server.listen: '%s' is not ADDR:PORT", c->listen);
		return -1;
	}
	if (c->test_captcha_reveal && !is_loopback(host, family)) {
		set_err(err, errlen,
			"test.captcha_reveal=1 is refused: listen address '%s' is not loopback "
			"(127.0.0.0/8 or [::1])", c->listen);
		return -1;
	}
	return 0;
}

int config_listen_split(const sen_config *c, char *host, size_t hostlen, uint16_t *port)
{
	int family;
	if (!terminated(c->listen, sizeof c->listen) || host == NULL || hostlen == 0)
		return -1;
	return split_listen(c->listen, host, hostlen, port, &family);
}

void config_print_help(FILE *out)
{
	fprintf(out, "%-30s %-26s %-22s %s\n", "setting", "environment", "default",
		"description");
	for (size_t i = 0; i < N_SETTINGS; i++) {
		const struct setting *s = &settings[i];
		char name[64], def[300];
		snprintf(name, sizeof name, "%s.%s", s->section, s->key);
		if (s->def[0] == '\0' || strchr(s->def, ' ') != NULL)
			snprintf(def, sizeof def, "\"%s\"", s->def);
		else
			snprintf(def, sizeof def, "%s", s->def);
		fprintf(out, "%-30s %-26s %-22s %s\n", name, s->env, def, s->help);
	}
}
