/*
 * config.h - settings from sen.ini, then SEN_* environment, then flags.
 *
 * Each setting has one row in a table (config.c): its ini section and key,
 * its environment variable, type, default and bounds. Later sources win:
 * defaults < DATA/sen.ini < environment < command-line flags.
 *
 * sen.ini is "[section]" lines and "key = value" lines; '#' or ';' start a
 * comment line; values may be quoted with "". Unknown sections or keys,
 * bad values and out-of-range numbers are errors that name the line:
 * "sen.ini:7: unknown key 'lisen' in [server]".
 *
 *   [site]   name, base_url, language (vi|en), utc_offset (e.g. +07:00),
 *            admin_email (the contact harvesters see; empty: webmaster@ the
 *            base URL's host), rights (a rightsstatements.org or
 *            Creative Commons URI: the IIIF manifests' rights; OAI's
 *            dc:rights is the free text of [oai] rights)
 *   [server] listen (ADDR:PORT), threads (0 = one per core),
 *            max_connections, per_ip_connections, connection_timeout (s),
 *            connection_memory (bytes, holds the request header),
 *            max_body (bytes), trusted_proxy (address or empty),
 *            user (account to serve as when started as root: empty = "sen"
 *            if it exists, else "nobody"; "none" = stay root, development
 *            only)
 *   [storage] synchronous (normal|full)
 *   [oai]    page_size (records per OAI-PMH list page), token_ttl (seconds
 *            a resumption token stays valid), sets (0|1: sets offered),
 *            rights (dc:rights of every record; empty: the site's name)
 *   [test]   captcha_reveal (0|1; refused unless listen is loopback)
 *
 * Environment names are SEN_ + KEY upper-cased (site.name is SEN_SITE_NAME); the
 * list: SEN_SITE_NAME,
 * SEN_BASE_URL, SEN_LANGUAGE, SEN_UTC_OFFSET, SEN_ADMIN_EMAIL, SEN_SITE_RIGHTS, SEN_LISTEN, SEN_THREADS,
 * SEN_MAX_CONNECTIONS, SEN_PER_IP_CONNECTIONS, SEN_CONNECTION_TIMEOUT,
 * SEN_CONNECTION_MEMORY, SEN_MAX_BODY, SEN_TRUSTED_PROXY, SEN_SERVER_USER,
 * SEN_SYNCHRONOUS, SEN_OAI_PAGE_SIZE, SEN_OAI_TOKEN_TTL, SEN_OAI_SETS, SEN_OAI_RIGHTS,
 * SEN_TEST_CAPTCHA_REVEAL. Each row in the table names
 * its variable, so `sen serve --help` can list them.
 */
#ifndef SEN_CORE_CONFIG_H
#define SEN_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
	char site_name[256];
	char base_url[512];        /* no trailing slash, e.g. http://127.0.0.1:8080 */
	char language[8];          /* "vi" or "en" */
	int utc_offset;            /* seconds east of UTC, default 25200 */
	char admin_email[256];     /* "" = webmaster@HOST of base_url */
	char rights[256];          /* rights statement URI of the collection's
				    * photos (IIIF manifests), default In Copyright */
	char listen[128];          /* "127.0.0.1:8080" or "[::1]:8080" */
	unsigned threads;          /* 0 = number of cores */
	unsigned max_connections;  /* default 1024 */
	unsigned per_ip_connections; /* default 64 */
	unsigned connection_timeout; /* seconds, default 30 */
	size_t connection_memory;  /* bytes, default 16 KiB */
	size_t max_body;           /* bytes, default 1 MiB */
	char trusted_proxy[64];    /* empty = none */
	char user[33];             /* account to serve as when root; "" = default,
				    * "none" = no drop (see core/privdrop.h) */
	char synchronous[8];       /* "normal" or "full" */
	unsigned oai_page_size;    /* records or headers per OAI-PMH page, default 500 */
	unsigned oai_token_ttl;    /* seconds a resumption token is honoured, default 86400 */
	int oai_sets;              /* 0/1: sets offered (0: noSetHierarchy) */
	char oai_rights[512];      /* dc:rights; "" = a sentence naming the site */
	int test_captcha_reveal;   /* 0/1 */
} sen_config;

/* Fills every field with its default. */
void config_defaults(sen_config *c);

/*
 * Reads an ini file. A missing file is not an error when `optional` is 1
 * (returns 0, nothing changed). On error returns -1 with "PATH:LINE: why"
 * in err.
 */
int config_load_file(sen_config *c, const char *path, int optional, char *err, size_t errlen);

/*
 * Parses ini text held in memory (data[0..len), need not be NUL-terminated)
 * exactly as config_load_file() parses a file; `name` stands for the path
 * in messages. Same limits: at most CONFIG_MAX_FILE bytes, lines of at most
 * CONFIG_MAX_LINE bytes, valid UTF-8 without NUL bytes. c is changed only
 * when the whole text is valid.
 *
 * Syntax details: a UTF-8 byte-order mark and CR before LF are ignored;
 * blank lines and lines whose first non-blank character is '#' or ';' are
 * comments (there are no comments after a value); "[section]" may have
 * blanks inside the brackets; in "key = value" blanks around key and value
 * are dropped; a value in double quotes keeps its blanks and understands
 * \" and \\; a key given twice takes the later value.
 */
int config_load_buffer(sen_config *c, const char *name, const char *data, size_t len,
		       char *err, size_t errlen);

#define CONFIG_MAX_FILE 65536
#define CONFIG_MAX_LINE 1024

/* Applies every SEN_* variable of the table that is set in the process
 * environment. On a bad value returns -1 with "SEN_X: why" in err. */
int config_load_env(sen_config *c, char *err, size_t errlen);

/* Sets one value by its ini name "section.key" (as flags do). -1 with the
 * reason in err for an unknown key or a bad value. */
int config_set(sen_config *c, const char *key, const char *value, char *err, size_t errlen);

/* Checks cross-field rules (test_captcha_reveal needs a loopback listen
 * address; listen parses). -1 with the reason in err.
 * Also re-checks each field as a setter would (for a struct filled by
 * hand): base_url is http(s)://HOST[:PORT][/PATH] without a trailing '/',
 * utc_offset lies in -12:00..+14:00 and is whole minutes, per_ip_connections
 * <= max_connections, trusted_proxy is empty or a numeric address.
 * Loopback means 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104. */
int config_validate(const sen_config *c, char *err, size_t errlen);

/* Splits c->listen into host and port. 0 or -1. The address must be
 * numeric: "127.0.0.1:8080" gives "127.0.0.1", "[::1]:8080" gives "::1";
 * the port is 1..65535. */
int config_listen_split(const sen_config *c, char *host, size_t hostlen, uint16_t *port);

/* Writes "section.key  SEN_VAR  default  description" lines (for --help). */
void config_print_help(FILE *out);

#endif
