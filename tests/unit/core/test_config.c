/*
 * test_config.c - defaults, sen.ini parsing and its messages, environment,
 * flags, precedence and the cross-field checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"

static const char *const env_names[] = {
	"SEN_SITE_NAME", "SEN_BASE_URL", "SEN_LANGUAGE", "SEN_UTC_OFFSET", "SEN_SITE_RIGHTS", "SEN_LISTEN",
	"SEN_THREADS", "SEN_MAX_CONNECTIONS", "SEN_PER_IP_CONNECTIONS",
	"SEN_CONNECTION_TIMEOUT", "SEN_CONNECTION_MEMORY", "SEN_MAX_BODY",
	"SEN_TRUSTED_PROXY", "SEN_SYNCHRONOUS", "SEN_TEST_CAPTCHA_REVEAL", "SEN_SERVER_USER",
	"SEN_ADMIN_EMAIL", "SEN_OAI_PAGE_SIZE", "SEN_OAI_TOKEN_TTL", "SEN_OAI_SETS", "SEN_OAI_RIGHTS",
};

static int clear_env(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
	return 0;
}

static char err[512];

/* Parses text as "sen.ini" into a default config; returns the result. */
static int load(sen_config *c, const char *text)
{
	config_defaults(c);
	err[0] = '\0';
	return config_load_buffer(c, "sen.ini", text, strlen(text), err, sizeof err);
}

/* The text must fail with exactly this message. */
static void expect_error(const char *text, const char *message)
{
	sen_config c, d;
	if (load(&c, text) != -1)
		fail_msg("accepted: %s", text);
	if (strcmp(err, message) != 0)
		fail_msg("message '%s', want '%s'", err, message);
	/* Nothing changed. */
	config_defaults(&d);
	assert_memory_equal(&c, &d, sizeof c);
}

static void test_defaults(void **state)
{
	(void)state;
	sen_config c;
	memset(&c, 0x5a, sizeof c);
	config_defaults(&c);
	assert_string_equal(c.site_name, "Bảo tàng Chiến thắng lịch sử Điện Biên Phủ");
	assert_string_equal(c.base_url, "http://127.0.0.1:8080");
	assert_string_equal(c.language, "vi");
	assert_int_equal(c.utc_offset, 25200);
	assert_string_equal(c.rights, "http://rightsstatements.org/vocab/InC/1.0/");
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.threads, 0);
	assert_int_equal(c.max_connections, 1024);
	assert_int_equal(c.per_ip_connections, 64);
	assert_int_equal(c.connection_timeout, 30);
	assert_int_equal(c.connection_memory, 16384);
	assert_int_equal(c.max_body, 1048576);
	assert_string_equal(c.trusted_proxy, "");
	assert_string_equal(c.synchronous, "normal");
	assert_int_equal(c.test_captcha_reveal, 0);
	assert_string_equal(c.user, "");
	assert_string_equal(c.admin_email, "");
	assert_int_equal(c.oai_page_size, 500);
	assert_int_equal(c.oai_token_ttl, 86400);
	assert_int_equal(c.oai_sets, 1);
	assert_string_equal(c.oai_rights, "");
	assert_int_equal(config_validate(&c, err, sizeof err), 0);
}

/* [server] user: the account `sen serve` drops to when started as root
 * (core/privdrop.h). Empty is the default account, "none" keeps root. */
static void test_server_user(void **state)
{
	(void)state;
	sen_config c;
	static const char *const good[] = {"nobody", "none", "sen", "www-data", "sen_web.2",
					   "abcdefghijklmnopqrstuvwxyz012345"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "[server]\nuser = %s\n", good[i]);
		if (load(&c, text) != 0)
			fail_msg("'%s' refused: %s", good[i], err);
		assert_string_equal(c.user, good[i]);
		assert_int_equal(config_validate(&c, err, sizeof err), 0);
	}
	assert_int_equal(load(&c, "[server]\nuser =\n"), 0);
	assert_string_equal(c.user, "");
	const char *why = "sen.ini:2: 'user' must be an account name (letters, digits, _ . -; "
			  "at most 32), none, or empty";
	expect_error("[server]\nuser = -rf\n", why);
	expect_error("[server]\nuser = \"a b\"\n", why);
	expect_error("[server]\nuser = root;id\n", why);
	expect_error("[server]\nuser = ../etc\n", why);
	expect_error("[server]\nuser = người\n", why);
	expect_error("[server]\nuser = abcdefghijklmnopqrstuvwxyz0123456\n",
		     "sen.ini:2: value too long: 'user' is at most 32 bytes");
	/* The environment and flags use the same check. */
	config_defaults(&c);
	setenv("SEN_SERVER_USER", "daemon", 1);
	assert_int_equal(config_load_env(&c, err, sizeof err), 0);
	assert_string_equal(c.user, "daemon");
	setenv("SEN_SERVER_USER", "-x", 1);
	assert_int_equal(config_load_env(&c, err, sizeof err), -1);
	assert_non_null(strstr(err, "SEN_SERVER_USER: 'user' must be an account name"));
	assert_string_equal(c.user, "daemon");
	unsetenv("SEN_SERVER_USER");
	assert_int_equal(config_set(&c, "server.user", "none", err, sizeof err), 0);
	assert_string_equal(c.user, "none");
	assert_int_equal(config_set(&c, "server.user", "x y", err, sizeof err), -1);
	assert_string_equal(c.user, "none");
	/* A struct filled by hand is checked the same way. */
	strcpy(c.user, "-rf");
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	assert_non_null(strstr(err, "server.user"));
}

static void test_load_full_file(void **state)
{
	(void)state;
	sen_config c;
	const char *text =
		"\xEF\xBB\xBF# sen.ini for the museum\r\n"
		"; another comment\n"
		"\n"
		"[site]\n"
		"name = \"  Bảo tàng \\\"Điện Biên Phủ\\\" \\\\ 1954  \"\n"
		"base_url=https://baotang.example.vn/portal\n"
		"  language   =   en  \n"
		"utc_offset = -05:30\n"
		"[ server ]\n"
		"listen = [::1]:8443\n"
		"threads = 8\n"
		"max_connections = 2000\n"
		"per_ip_connections = 100\n"
		"connection_timeout = 60\n"
		"connection_memory = 131072\n"
		"max_body = 10485760\n"
		"trusted_proxy = 10.0.0.1\n"
		"\t# indented comment\n"
		"[storage]\n"
		"synchronous = full\n"
		"[test]\n"
		"captcha_reveal = 1\n"
		"[server]\n"
		"threads = 9\n"; /* a key given twice: the later wins */
	assert_int_equal(load(&c, text), 0);
	assert_string_equal(c.site_name, "  Bảo tàng \"Điện Biên Phủ\" \\ 1954  ");
	assert_string_equal(c.base_url, "https://baotang.example.vn/portal");
	assert_string_equal(c.language, "en");
	assert_int_equal(c.utc_offset, -19800);
	assert_string_equal(c.listen, "[::1]:8443");
	assert_int_equal(c.threads, 9);
	assert_int_equal(c.max_connections, 2000);
	assert_int_equal(c.per_ip_connections, 100);
	assert_int_equal(c.connection_timeout, 60);
	assert_int_equal(c.connection_memory, 131072);
	assert_int_equal(c.max_body, 10485760);
	assert_string_equal(c.trusted_proxy, "10.0.0.1");
	assert_string_equal(c.synchronous, "full");
	assert_int_equal(c.test_captcha_reveal, 1);
	assert_int_equal(config_validate(&c, err, sizeof err), 0);

	/* Empty values: a string may be empty, quoted or not. */
	assert_int_equal(load(&c, "[server]\ntrusted_proxy =\n"), 0);
	assert_string_equal(c.trusted_proxy, "");
	assert_int_equal(load(&c, "[server]\ntrusted_proxy = \"\"\n"), 0);
	assert_string_equal(c.trusted_proxy, "");
	/* No final newline, empty text. */
	assert_int_equal(load(&c, "[server]\nthreads = 3"), 0);
	assert_int_equal(c.threads, 3);
	assert_int_equal(load(&c, ""), 0);
	/* Range ends are inclusive. */
	assert_int_equal(load(&c, "[server]\nthreads = 256\nmax_connections = 1\n"
				  "per_ip_connections = 1\n"), 0);
	assert_int_equal(c.threads, 256);
	assert_int_equal(load(&c, "[site]\nutc_offset = +14:00\n"), 0);
	assert_int_equal(c.utc_offset, 14 * 3600);
	assert_int_equal(load(&c, "[site]\nutc_offset = -12:00\n"), 0);
	assert_int_equal(load(&c, "[site]\nname = a=b ; not a comment # either\n"), 0);
	assert_string_equal(c.site_name, "a=b ; not a comment # either");
}

static void test_error_messages(void **state)
{
	(void)state;
	/* The example from config.h: line 7. */
	expect_error("# sen.ini\n[site]\nname = x\n\n[server]\nthreads = 2\nlisen = 1\n",
		"sen.ini:7: unknown key 'lisen' in [server]");
	expect_error("[server]\nname = x\n", "sen.ini:2: unknown key 'name' in [server]");
	expect_error("[site]\nlisten = 127.0.0.1:80\n",
		"sen.ini:2: unknown key 'listen' in [site]");
	expect_error("\n\n[servr]\n", "sen.ini:3: unknown section [servr]");
	expect_error("[server\nthreads = 1\n", "sen.ini:1: missing ']' after the section name");
	expect_error("[site]\nname\n", "sen.ini:2: missing '=' in 'name'");
	expect_error("[site]\n= x\n", "sen.ini:2: missing key before '='");
	expect_error("threads = 4\n", "sen.ini:1: key 'threads' outside a [section]");
	expect_error("[site]\nname = \"Bảo tàng\n", "sen.ini:2: unterminated quote");
	expect_error("[site]\nname = \"a\\\"\n", "sen.ini:2: unterminated quote");
	expect_error("[site]\nname = \"a\\n\"\n",
		"sen.ini:2: bad escape in quoted value (only \\\" and \\\\ are allowed)");
	expect_error("[site]\nname = \"a\" b\n",
		"sen.ini:2: unexpected text after the closing quote");
	expect_error("[server]\nthreads = 300\n",
		"sen.ini:2: value out of range: 'threads' must be 0..256");
	expect_error("[server]\nthreads = -1\n",
		"sen.ini:2: value out of range: 'threads' must be 0..256");
	expect_error("[server]\n\n\nmax_connections = 0\n",
		"sen.ini:4: value out of range: 'max_connections' must be 1..65536");
	expect_error("[server]\nconnection_timeout = 3601\n",
		"sen.ini:2: value out of range: 'connection_timeout' must be 1..3600");
	expect_error("[server]\nconnection_memory = 1024\n",
		"sen.ini:2: value out of range: 'connection_memory' must be 4096..16777216");
	expect_error("[server]\nmax_body = 99999999999999999999\n",
		"sen.ini:2: 'max_body' must be a whole number");
	expect_error("[server]\nthreads = four\n", "sen.ini:2: 'threads' must be a whole number");
	expect_error("[server]\nthreads =\n", "sen.ini:2: 'threads' must be a whole number");
	expect_error("[server]\nthreads = 4 # four\n",
		"sen.ini:2: 'threads' must be a whole number");
	expect_error("[test]\ncaptcha_reveal = yes\n", "sen.ini:2: 'captcha_reveal' must be 0 or 1");
	expect_error("[test]\ncaptcha_reveal = 2\n", "sen.ini:2: 'captcha_reveal' must be 0 or 1");
	expect_error("[site]\nlanguage = fr\n", "sen.ini:2: 'language' must be one of: vi, en");
	expect_error("[site]\nlanguage = VI\n", "sen.ini:2: 'language' must be one of: vi, en");
	expect_error("[storage]\nsynchronous = off\n",
		"sen.ini:2: 'synchronous' must be one of: normal, full");
	expect_error("[site]\nutc_offset = 7\n",
		"sen.ini:2: 'utc_offset' must be like +07:00 (from -12:00 to +14:00)");
	expect_error("[site]\nutc_offset = +15:00\n",
		"sen.ini:2: 'utc_offset' must be like +07:00 (from -12:00 to +14:00)");
	const char *listen_msg = "sen.ini:2: 'listen' must be ADDR:PORT with a numeric address and "
		"a port 1..65535, e.g. 127.0.0.1:8080 or [::1]:8080";
	expect_error("[server]\nlisten = localhost:8080\n", listen_msg);
	expect_error("[server]\nlisten = 127.0.0.1\n", listen_msg);
	expect_error("[server]\nlisten = 127.0.0.1:70000\n", listen_msg);
	expect_error("[server]\nlisten = ::1:8080\n", listen_msg);
	const char *url_msg = "sen.ini:2: 'base_url' must be http://HOST[:PORT][/PATH] or "
		"https://... without a trailing '/'";
	expect_error("[site]\nbase_url = http://127.0.0.1:8080/\n", url_msg);
	expect_error("[site]\nbase_url = ftp://example.vn\n", url_msg);
	expect_error("[site]\nbase_url = example.vn\n", url_msg);
	expect_error("[site]\nbase_url = http://\n", url_msg);
	expect_error("[site]\nbase_url = http://a b.vn\n", url_msg);
	expect_error("[site]\nbase_url = http://example.vn/?q=1\n", url_msg);
	expect_error("[site]\nbase_url = http://user@example.vn\n", url_msg);
	expect_error("[server]\ntrusted_proxy = proxy.local\n",
		"sen.ini:2: 'trusted_proxy' must be an IPv4 or IPv6 address, or empty");
	expect_error("[site]\nname = \"a\tb\"\n",
		"sen.ini:2: 'name' must not contain control characters");
	expect_error("[site]\nname = a\x7f" "b\n",
		"sen.ini:2: 'name' must not contain control characters");
	expect_error("[site]\nlanguage = \xC3\xA9n\n", "sen.ini:2: 'language' must be one of: vi, en");
	expect_error("[site]\nname = \xC0\xAF\n", "sen.ini:2: invalid UTF-8 or NUL byte");
	expect_error("[site]\r\nname = \xED\xA0\x80\r\n", "sen.ini:2: invalid UTF-8 or NUL byte");

	/* A value longer than its field. */
	char text[600];
	strcpy(text, "[server]\ntrusted_proxy = ");
	memset(text + strlen(text), '1', 70);
	text[25 + 70] = '\0';
	expect_error(text, "sen.ini:2: value too long: 'trusted_proxy' is at most 63 bytes");
	strcpy(text, "[site]\nname = ");
	size_t n = strlen(text);
	memset(text + n, 'x', 300);
	text[n + 300] = '\0';
	expect_error(text, "sen.ini:2: value too long: 'name' is at most 255 bytes");
}

static void test_limits(void **state)
{
	(void)state;
	sen_config c;
	/* NUL byte inside a line. */
	config_defaults(&c);
	assert_int_equal(config_load_buffer(&c, "x.ini", "[site]\nna\0me = 1\n", 17, err,
					    sizeof err), -1);
	assert_string_equal(err, "x.ini:2: invalid UTF-8 or NUL byte");

	/* A line of 1024 bytes is fine; 1025 is too long. */
	/* Static rather than malloc: gcc's -Warray-bounds under ASan cannot see
	 * through assert_non_null() and flags every write as out of bounds. */
	static char text[CONFIG_MAX_FILE + 2];
	strcpy(text, "[site]\n#");
	memset(text + 8, 'x', CONFIG_MAX_LINE - 1);
	strcpy(text + 8 + CONFIG_MAX_LINE - 1, "\n[server]\n");
	assert_int_equal(load(&c, text), 0);
	strcpy(text, "[site]\n#");
	memset(text + 8, 'x', CONFIG_MAX_LINE);
	strcpy(text + 8 + CONFIG_MAX_LINE, "\n");
	expect_error(text, "sen.ini:2: line too long (more than 1024 bytes)");
	/* The same with CRLF: the CR does not count. */
	strcpy(text, "[site]\n#");
	memset(text + 8, 'x', CONFIG_MAX_LINE - 1);
	strcpy(text + 8 + CONFIG_MAX_LINE - 1, "\r\n");
	assert_int_equal(load(&c, text), 0);

	/* 64 KiB of comments is fine; one byte more is too large. */
	memset(text, '#', CONFIG_MAX_FILE);
	for (size_t i = 1000; i < CONFIG_MAX_FILE; i += 1000)
		text[i] = '\n';
	text[CONFIG_MAX_FILE] = '\0';
	assert_int_equal(load(&c, text), 0);
	text[CONFIG_MAX_FILE] = '#';
	text[CONFIG_MAX_FILE + 1] = '\0';
	expect_error(text, "sen.ini: file too large (more than 65536 bytes)");
}

/* Writes text to a temporary file; returns its path (static storage). */
static const char *temp_file(const char *text, size_t len)
{
	static char path[64];
	strcpy(path, "/tmp/sen-test-config-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_load_file(void **state)
{
	(void)state;
	sen_config c, d;
	config_defaults(&c);
	config_defaults(&d);
	/* Missing and optional: nothing happens. */
	assert_int_equal(config_load_file(&c, "/nonexistent/sen.ini", 1, err, sizeof err), 0);
	assert_memory_equal(&c, &d, sizeof c);
	/* Missing and required. */
	assert_int_equal(config_load_file(&c, "/nonexistent/sen.ini", 0, err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/sen.ini: cannot open: No such file or directory");

	const char *text = "[server]\nthreads = 4\nlisten = 0.0.0.0:80\n";
	const char *path = temp_file(text, strlen(text));
	assert_int_equal(config_load_file(&c, path, 0, err, sizeof err), 0);
	assert_int_equal(c.threads, 4);
	assert_string_equal(c.listen, "0.0.0.0:80");
	unlink(path);

	/* Errors name the path given. */
	text = "[server]\n\nthreads = 1000\n";
	path = temp_file(text, strlen(text));
	assert_int_equal(config_load_file(&c, path, 1, err, sizeof err), -1);
	char want[256];
	snprintf(want, sizeof want, "%s:3: value out of range: 'threads' must be 0..256", path);
	assert_string_equal(err, want);
	assert_int_equal(c.threads, 4);
	unlink(path);

	/* Too large on disk. */
	char *big = malloc(CONFIG_MAX_FILE + 100);
	assert_non_null(big);
	memset(big, '\n', CONFIG_MAX_FILE + 100);
	path = temp_file(big, CONFIG_MAX_FILE + 100);
	free(big);
	assert_int_equal(config_load_file(&c, path, 0, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s: file too large (more than 65536 bytes)", path);
	assert_string_equal(err, want);
	unlink(path);

	/* A directory cannot be read. */
	assert_int_equal(config_load_file(&c, "/tmp", 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "/tmp: "));
}

static void test_env(void **state)
{
	(void)state;
	sen_config c, d;
	config_defaults(&c);
	assert_int_equal(config_load_env(&c, err, sizeof err), 0);
	config_defaults(&d);
	assert_memory_equal(&c, &d, sizeof c);

	setenv("SEN_SITE_NAME", "Bảo tàng Hồ Chí Minh", 1);
	setenv("SEN_BASE_URL", "https://baotang.vn", 1);
	setenv("SEN_LANGUAGE", "en", 1);
	setenv("SEN_UTC_OFFSET", "+0545", 1);
	setenv("SEN_LISTEN", "[::]:80", 1);
	setenv("SEN_THREADS", "12", 1);
	setenv("SEN_MAX_CONNECTIONS", "500", 1);
	setenv("SEN_PER_IP_CONNECTIONS", "10", 1);
	setenv("SEN_CONNECTION_TIMEOUT", "5", 1);
	setenv("SEN_CONNECTION_MEMORY", "8192", 1);
	setenv("SEN_MAX_BODY", "2048", 1);
	setenv("SEN_TRUSTED_PROXY", "::1", 1);
	setenv("SEN_SYNCHRONOUS", "full", 1);
	setenv("SEN_TEST_CAPTCHA_REVEAL", "1", 1);
	assert_int_equal(config_load_env(&c, err, sizeof err), 0);
	assert_string_equal(c.site_name, "Bảo tàng Hồ Chí Minh");
	assert_string_equal(c.base_url, "https://baotang.vn");
	assert_string_equal(c.language, "en");
	assert_int_equal(c.utc_offset, 5 * 3600 + 45 * 60);
	assert_string_equal(c.listen, "[::]:80");
	assert_int_equal(c.threads, 12);
	assert_int_equal(c.max_connections, 500);
	assert_int_equal(c.per_ip_connections, 10);
	assert_int_equal(c.connection_timeout, 5);
	assert_int_equal(c.connection_memory, 8192);
	assert_int_equal(c.max_body, 2048);
	assert_string_equal(c.trusted_proxy, "::1");
	assert_string_equal(c.synchronous, "full");
	assert_int_equal(c.test_captcha_reveal, 1);
	/* [::] is not loopback: the captcha switch is refused. */
	assert_int_equal(config_validate(&c, err, sizeof err), -1);

	/* A bad variable names itself and changes nothing. */
	config_defaults(&c);
	setenv("SEN_THREADS", "1000", 1);
	assert_int_equal(config_load_env(&c, err, sizeof err), -1);
	assert_string_equal(err, "SEN_THREADS: value out of range: 'threads' must be 0..256");
	assert_memory_equal(&c, &d, sizeof c);
	setenv("SEN_THREADS", "", 1);
	assert_int_equal(config_load_env(&c, err, sizeof err), -1);
	assert_string_equal(err, "SEN_THREADS: 'threads' must be a whole number");
	unsetenv("SEN_THREADS");
	setenv("SEN_LISTEN", "*:80", 1);
	assert_int_equal(config_load_env(&c, err, sizeof err), -1);
	assert_int_equal(strncmp(err, "SEN_LISTEN: 'listen' must be ADDR:PORT", 38), 0);
	clear_env(NULL);
}

static void test_set(void **state)
{
	(void)state;
	sen_config c;
	config_defaults(&c);
	assert_int_equal(config_set(&c, "server.listen", "0.0.0.0:8080", err, sizeof err), 0);
	assert_string_equal(c.listen, "0.0.0.0:8080");
	assert_int_equal(config_set(&c, "site.name", "Bảo tàng", err, sizeof err), 0);
	assert_string_equal(c.site_name, "Bảo tàng");
	assert_int_equal(config_set(&c, "test.captcha_reveal", "1", err, sizeof err), 0);
	assert_int_equal(c.test_captcha_reveal, 1);

	assert_int_equal(config_set(&c, "server.lisen", "x", err, sizeof err), -1);
	assert_string_equal(err,
		"unknown setting 'server.lisen' (expected section.key, e.g. server.listen)");
	assert_int_equal(config_set(&c, "listen", "x", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "site.listen", "x", err, sizeof err), -1);
	assert_int_equal(config_set(&c, ".listen", "x", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "server.", "x", err, sizeof err), -1);
	assert_int_equal(config_set(&c, "server.threads", "257", err, sizeof err), -1);
	assert_string_equal(err, "server.threads: value out of range: 'threads' must be 0..256");
	assert_int_equal(config_set(&c, "site.base_url", "http://x.vn/", err, sizeof err), -1);
	assert_int_equal(strncmp(err, "site.base_url: 'base_url' must be", 33), 0);
	assert_string_equal(c.listen, "0.0.0.0:8080");
}

static void test_precedence(void **state)
{
	(void)state;
	/* defaults < file < environment < flags */
	sen_config c;
	config_defaults(&c);
	const char *text = "[server]\nthreads = 4\nmax_body = 4096\nconnection_timeout = 10\n"
		"[site]\nlanguage = en\n";
	const char *path = temp_file(text, strlen(text));
	assert_int_equal(config_load_file(&c, path, 0, err, sizeof err), 0);
	unlink(path);
	setenv("SEN_THREADS", "8", 1);
	setenv("SEN_MAX_BODY", "8192", 1);
	assert_int_equal(config_load_env(&c, err, sizeof err), 0);
	assert_int_equal(config_set(&c, "server.threads", "16", err, sizeof err), 0);
	assert_int_equal(c.threads, 16);              /* flag */
	assert_int_equal(c.max_body, 8192);           /* environment over file */
	assert_int_equal(c.connection_timeout, 10);   /* file over default */
	assert_string_equal(c.language, "en");        /* file */
	assert_int_equal(c.max_connections, 1024);    /* default */
	clear_env(NULL);
}

static void test_validate(void **state)
{
	(void)state;
	sen_config c;
	static const struct {
		const char *listen;
		int ok;
	} captcha[] = {
		{"127.0.0.1:8080", 1}, {"127.0.0.2:80", 1}, {"127.255.255.254:1", 1},
		{"[::1]:8080", 1}, {"[::ffff:127.0.0.1]:8080", 1},
		{"0.0.0.0:8080", 0}, {"10.0.0.1:8080", 0}, {"128.0.0.1:80", 0},
		{"[::]:8080", 0}, {"[::2]:8080", 0}, {"[fe80::1]:80", 0},
		{"[::ffff:10.0.0.1]:80", 0},
	};
	for (size_t i = 0; i < sizeof captcha / sizeof captcha[0]; i++) {
		config_defaults(&c);
		assert_int_equal(config_set(&c, "server.listen", captcha[i].listen, err, sizeof err),
			0);
		assert_int_equal(config_validate(&c, err, sizeof err), 0);
		c.test_captcha_reveal = 1;
		int rc = config_validate(&c, err, sizeof err);
		if (rc != (captcha[i].ok ? 0 : -1))
			fail_msg("%s: %d (%s)", captcha[i].listen, rc, err);
	}
	config_defaults(&c);
	strcpy(c.listen, "0.0.0.0:80");
	c.test_captcha_reveal = 1;
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	assert_string_equal(err, "test.captcha_reveal=1 is refused: listen address '0.0.0.0:80' "
		"is not loopback (127.0.0.0/8 or [::1])");

	/* A struct filled by hand is held to the same rules. */
	config_defaults(&c);
	strcpy(c.listen, "nowhere");
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	assert_int_equal(strncmp(err, "server.listen: 'listen' must be ADDR:PORT", 41), 0);
	config_defaults(&c);
	strcpy(c.base_url, "http://example.vn/");
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	assert_int_equal(strncmp(err, "site.base_url: ", 15), 0);
	config_defaults(&c);
	strcpy(c.language, "fr");
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	assert_string_equal(err, "site.language: 'language' must be one of: vi, en");
	config_defaults(&c);
	c.utc_offset = 25201;
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	config_defaults(&c);
	c.utc_offset = 15 * 3600;
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	config_defaults(&c);
	c.per_ip_connections = 2000;
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	assert_string_equal(err, "server.per_ip_connections (2000) must not exceed "
		"server.max_connections (1024)");
	config_defaults(&c);
	c.threads = 1000;
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	config_defaults(&c);
	c.max_connections = 0;
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	config_defaults(&c);
	c.test_captcha_reveal = 7;
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	config_defaults(&c);
	memset(c.site_name, 'x', sizeof c.site_name); /* not terminated */
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	assert_string_equal(err, "site.name: not terminated");
	config_defaults(&c);
	strcpy(c.trusted_proxy, "10.0.0.256");
	assert_int_equal(config_validate(&c, err, sizeof err), -1);
	/* base_url shapes that are fine. */
	const char *urls[] = {"http://127.0.0.1:8080", "https://baotang.vn",
		"http://[::1]:8080", "https://example.vn/sub/path", "http://a-b.example.vn:80/x_y~z"};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		config_defaults(&c);
		if (config_set(&c, "site.base_url", urls[i], err, sizeof err) != 0 ||
		    config_validate(&c, err, sizeof err) != 0)
			fail_msg("%s: %s", urls[i], err);
	}
}

static void test_listen_split(void **state)
{
	(void)state;
	sen_config c;
	char host[64];
	uint16_t port = 0;
	config_defaults(&c);
	assert_int_equal(config_listen_split(&c, host, sizeof host, &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	strcpy(c.listen, "[::1]:8080");
	assert_int_equal(config_listen_split(&c, host, sizeof host, &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 8080);
	strcpy(c.listen, "0.0.0.0:65535");
	assert_int_equal(config_listen_split(&c, host, sizeof host, &port), 0);
	assert_string_equal(host, "0.0.0.0");
	assert_int_equal(port, 65535);
	strcpy(c.listen, "[2001:db8::1]:1");
	assert_int_equal(config_listen_split(&c, host, sizeof host, &port), 0);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(port, 1);
	/* The host does not fit. */
	assert_int_equal(config_listen_split(&c, host, 5, &port), -1);

	const char *bad[] = {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
		"127.0.0.1:80a", "127.0.0.1:-80", "127.0.0.1:+80", "localhost:80", ":80",
		"::1:8080", "[::1]8080", "[::1]:", "[::1", "[]:80", "[127.0.0.1]:80",
		"1.2.3:80", "1.2.3.4.5:80", "256.1.1.1:80", "127.0.0.1:080800",
		" 127.0.0.1:80", "[::1]:80 ", "[fe80::1%eth0]:80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcpy(c.listen, bad[i]);
		if (config_listen_split(&c, host, sizeof host, &port) != -1)
			fail_msg("'%s' accepted", bad[i]);
	}
}

static void test_print_help(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	config_print_help(f);
	fclose(f);
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		if (strstr(text, env_names[i]) == NULL)
			fail_msg("%s missing from help", env_names[i]);
	assert_non_null(strstr(text, "server.listen"));
	assert_non_null(strstr(text, "127.0.0.1:8080"));
	assert_non_null(strstr(text, "\"Bảo tàng Chiến thắng lịch sử Điện Biên Phủ\""));
	assert_non_null(strstr(text, "test.captcha_reveal"));
	/* A header line and one line per setting. */
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	assert_int_equal(lines, 1 + sizeof env_names / sizeof env_names[0]);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_server_user),
		cmocka_unit_test(test_load_full_file),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_listen_split),
		cmocka_unit_test(test_print_help),
	};
	return cmocka_run_group_tests(tests, clear_env, NULL);
}
