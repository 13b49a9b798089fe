/*
 * wire.c - a tiny HTTP client for the server tests (see wire.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "wire.h"

int wire_connect(const char *host, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		sl = sizeof *in;
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		sl = sizeof *in6;
	} else {
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void wire_send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

void wire_read(int fd, wire_reply *r)
{
	size_t size = 4096;
	memset(r, 0, sizeof *r);
	r->raw = malloc(size);
	assert_non_null(r->raw);
	for (;;) {
		if (r->len + 1 >= size) {
			size *= 2;
			char *grown = realloc(r->raw, size);
			assert_non_null(grown);
			r->raw = grown;
		}
		ssize_t n = recv(fd, r->raw + r->len, size - r->len - 1, 0);
		if (n <= 0)
			break;
		r->len += (size_t)n;
	}
	r->raw[r->len] = '\0';
	int status = 0;
	if (sscanf(r->raw, "HTTP/1.%*d %d", &status) == 1)
		r->status = status;
	char *sep = strstr(r->raw, "\r\n\r\n");
	if (sep != NULL) {
		r->body = sep + 4;
		r->body_len = r->len - (size_t)(r->body - r->raw);
	}
}

void wire_reply_free(wire_reply *r)
{
	free(r->raw);
	memset(r, 0, sizeof *r);
}

int wire_folder(char *dir, size_t len, const char *template)
{
	snprintf(dir, len, "%s", template);
	return mkdtemp(dir) != NULL ? 0 : -1;
}

http_server *wire_start(const http_server_config *cfg, uint16_t *port)
{
	http_server *srv = http_server_start(cfg);
	if (srv == NULL)
		return NULL;
	*port = http_server_port(srv);
	if (*port == 0) {
		http_server_stop(srv);
		return NULL;
	}
	return srv;
}

int wire_stop(http_server *srv, const char *dir)
{
	http_server_stop(srv);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}
