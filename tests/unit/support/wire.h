/*
 * wire.h - a tiny HTTP client for the unit tests that start a real server
 * on 127.0.0.1 (tests/unit/http): connect, send what can be sent, read the
 * reply until the server closes. What is tested is what goes on the wire,
 * so nothing here parses more than the status line and the blank line.
 *
 * Who frees what: wire_read() fills a wire_reply whose raw buffer the
 * caller frees with wire_reply_free().
 */
#ifndef SEN_TESTS_WIRE_H
#define SEN_TESTS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

typedef struct {
	char *raw;       /* everything received, NUL-terminated */
	size_t len;
	int status;      /* from the status line; 0 when there is none */
	char *body;      /* inside raw, after the blank line; NULL without one */
	size_t body_len;
} wire_reply;

/* A connected TCP socket with 5-second send and receive timeouts (host is
 * an IPv4 or IPv6 address), or -1. */
int wire_connect(const char *host, uint16_t port);

/* Sends what it can: the server may answer and close before the end (413). */
void wire_send_all(int fd, const char *data, size_t len);

/* Reads until the server closes (or the timeout passes); fails the cmocka
 * test when memory runs out. */
void wire_read(int fd, wire_reply *r);

void wire_reply_free(wire_reply *r);

/* Makes a fresh folder from template (ending in XXXXXX) into dir. 0 or -1. */
int wire_folder(char *dir, size_t len, const char *template);

/* Starts a server on cfg; its port goes into *port. NULL when it did not
 * start or has no port. */
http_server *wire_start(const http_server_config *cfg, uint16_t *port);

/* Stops srv and removes dir and everything in it: 0, or -1 when the
 * removal failed. For a cmocka group tear-down. */
int wire_stop(http_server *srv, const char *dir);

#endif
