/*
 * fuzz_net.c - see fuzz_net.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "fuzz_net.h"

int fuzz_connect(uint16_t port, unsigned host)
{
	struct sockaddr_in in;
	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_port = htons(port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	static unsigned next_source;
	struct sockaddr_in src;
	memset(&src, 0, sizeof src);
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f000000u | (1u + next_source++ % 250u) << 8 | (host & 0xffu));
	if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
		close(fd);
		return -1;
	}
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&in, sizeof in) != 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		int err = 0;
		socklen_t elen = sizeof err;
		while (poll(&pfd, 1, 10000) < 0 && errno == EINTR)
			;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void fuzz_send_all(int fd, const void *p, size_t len)
{
	const char *c = p;
	while (len > 0) {
		ssize_t n = send(fd, c, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		c += n;
		len -= (size_t)n;
	}
}

http_server *fuzz_server_start(http_server_config *cfg, const http_route_table *table,
			       uint16_t *port, void (*stop)(void))
{
	cfg->host = "127.0.0.1";
	cfg->threads = 1;
	cfg->connection_timeout = 5;
	cfg->tables = table;
	cfg->ntables = 1;
	http_server *srv = http_server_start(cfg);
	if (srv == NULL)
		return NULL;
	*port = http_server_port(srv);
	atexit(stop);
	return srv;
}
