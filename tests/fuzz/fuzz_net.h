/*
 * fuzz_net.h - the client side of the fuzz targets that speak to a server
 * started in-process (fuzz_multipart.c, fuzz_json.c): connecting from many
 * loopback addresses, and sending whatever the server still reads.
 */
#ifndef SEN_TESTS_FUZZ_NET_H
#define SEN_TESTS_FUZZ_NET_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

/*
 * Starts the server of cfg on 127.0.0.1, any free port, one thread, 5 s
 * timeouts, serving the one table given, and has stop run at exit (stop
 * stops the server and removes what the target made). NULL when it did
 * not start; else the server, its port in *port.
 */
http_server *fuzz_server_start(http_server_config *cfg, const http_route_table *table,
			       uint16_t *port, void (*stop)(void));

/*
 * A connection to 127.0.0.1:port, or -1 (errno set). The server closes
 * every connection first, so each one leaves a TIME_WAIT behind for a
 * minute, and a thousand runs a second would use up one address's
 * ephemeral ports; the connections come from 250 loopback addresses in
 * turn instead, 127.0.N.host (N = 1..250), which also spreads the
 * per-address budgets of the application. Reads and writes time out after
 * 10 s; a connect interrupted by libFuzzer's timer signal is waited for.
 */
int fuzz_connect(uint16_t port, unsigned host);

/* Sends len bytes, retrying after signals; stops quietly when the server
 * has answered and closed early (413, 400). */
void fuzz_send_all(int fd, const void *p, size_t len);

#endif
