/*
 * fuzz_accounts.c - what a login form and a browser send to the account
 * code, on any bytes: user_name_normalize() and the password policy on a
 * name and password, the throttle keys, session_ua_summary() on a user
 * agent, and the token checks (session_token_valid, session_csrf_check,
 * session_login_token_ok) on a cookie and a form token.
 *
 * The input is split at the byte 0x1F into name, password, user agent and
 * token (missing parts are NULL). No Argon2id here: hashing is slow by
 * design and parses nothing the client sends.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "fuzz_input.h"
#include "core/text.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/throttle.h"
#include "model/user.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ready;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	/* A small list of common passwords, so the policy runs to its end. */
	char path[] = "/tmp/sen-fuzz-accounts-XXXXXX";
	int fd = mkstemp(path);
	if (fd >= 0) {
		static const char list[] = "# test list\n123456789012\npassword1234\nmatkhau12345\n"
					   "Mật Khẩu Mạnh Lắm\n";
		if (write(fd, list, sizeof list - 1) == (ssize_t)(sizeof list - 1))
			ready = user_common_passwords_load(path) == 0;
		close(fd);
		unlink(path);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		LLVMFuzzerInitialize(NULL, NULL);
	char *copy = fuzz_text(data, size, FUZZ_NO_LIMIT);
	char *parts[4];
	if (copy == NULL)
		return 0;
	fuzz_fields(copy, parts, 4);
	const char *name = parts[0], *password = parts[1], *ua = parts[2], *token = parts[3];

	/* Names: accepted ones follow the rules, refused ones leave "". */
	char login[USER_NAME_MAX + 1];
	if (user_name_normalize(name, login, sizeof login) == 0) {
		size_t n = strlen(login);
		if (n < USER_NAME_MIN || n > USER_NAME_MAX || strspn(login, "abcdefghijklmnopqrstuvwxyz"
									    "0123456789._-") != n)
			abort();
	} else if (login[0] != '\0') {
		abort();
	}

	/* The policy answers one of its values; accepted passwords are valid
	 * UTF-8 of a sane size. */
	enum user_password_problem pr = user_password_check(name, password);
	if (pr < USER_PASSWORD_OK || pr > USER_PASSWORD_NO_LIST)
		abort();
	if (pr == USER_PASSWORD_OK &&
	    (password == NULL || !utf8_valid(password, strlen(password)) ||
	     strlen(password) > USER_PASSWORD_INPUT_MAX || user_password_is_common(password)))
		abort();

	/* Keys are fixed-size hex whatever came in. */
	static const unsigned char secret[SESSION_KEY_BYTES] = {1, 2, 3};
	char k[THROTTLE_KEY_LEN + 1];
	throttle_account_key(secret, name, k);
	if (strlen(k) != THROTTLE_KEY_LEN || k[0] != 'a')
		abort();
	throttle_address_key(secret, ua, k);
	if (strlen(k) != THROTTLE_KEY_LEN || k[0] != 'n')
		abort();
	char addr[AUDIT_ADDRESS_LEN + 1];
	audit_address_hash(secret, token, addr);
	if (strlen(addr) != AUDIT_ADDRESS_LEN)
		abort();
	(void)audit_action_valid(name);

	char summary[SESSION_UA_MAX + 1];
	session_ua_summary(ua, summary);
	if (strlen(summary) > SESSION_UA_MAX || !utf8_valid(summary, strlen(summary)))
		abort();

	/* Tokens: only exact matches pass. */
	if (session_token_valid(token) &&
	    (strlen(token) != SESSION_TOKEN_LEN || strspn(token, "0123456789abcdef") != SESSION_TOKEN_LEN))
		abort();
	session s;
	memset(&s, 0, sizeof s);
	memcpy(s.csrf_key, secret, sizeof secret);
	char good[SESSION_CSRF_LEN + 1];
	session_csrf_token(&s, name != NULL ? name : "", good);
	if (session_csrf_check(&s, name != NULL ? name : "", token) !=
	    (token != NULL && strcmp(token, good) == 0))
		abort();
	session_login_token(secret, token, good);
	if (session_login_token_ok(secret, token, password) &&
	    (password == NULL || strcmp(password, good) != 0 || !session_token_valid(token)))
		abort();
	free(copy);
	return 0;
}
