/*
 * fuzz_multipart.c - multipart/form-data bodies through the real server.
 *
 * libmicrohttpd's post processor needs a connection, so one server is
 * started in-process on the first input (loopback, any free port, one
 * route, a gate that lets 1 MiB through) and every input is sent to it as a
 * body. The first byte chooses the framing: even, Content-Length; odd,
 * chunked in pieces of 1 + byte / 2 bytes (so the parser sees every split).
 * The rest is the body, for the fixed boundary "FuzzBoundary".
 *
 * Checked for every input: an answer comes (200, 400, 413), and no
 * temporary file is left in the upload folder once it has. The client
 * file name sanitiser gets the input directly too. SEN_FUZZ_VERBOSE=1
 * prints each answer and lets the server log.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/text.h"
#include "http/http.h"
#include "http/http_private.h"

#include "fuzz_net.h"

#define FUZZ_MAX_INPUT (256 * 1024)

static http_server *srv;
static uint16_t port;
static char root[64];
static char updir[96];

static int h_up(http_req *req, http_res *res)
{
	/* Everything the server promises about a kept form, checked here. */
	for (size_t i = 0; i < req->nform; i++)
		if (!utf8_valid(req->form[i].value, req->form[i].value_len) ||
		    !utf8_valid(req->form[i].name, strlen(req->form[i].name)))
			abort();
	for (size_t i = 0; i < req->nuploads; i++) {
		const http_upload *u = &req->uploads[i];
		struct stat st;
		size_t flen = strlen(u->filename);
		if (flen > HTTP_UPLOAD_NAME_MAX || !utf8_valid(u->filename, flen) ||
		    strchr(u->filename, '/') != NULL || strchr(u->filename, '\\') != NULL)
			abort();
		if (stat(u->path, &st) != 0 || (uint64_t)st.st_size != u->size ||
		    (st.st_mode & 07777) != 0600)
			abort();
	}
	buf_printf(&res->body, "%zu %zu", req->nform, req->nuploads);
	return 200;
}

static const http_route routes[] = {{HTTP_POST, "/up", h_up, HTTP_PUBLIC}};
static const http_route_table table = {routes, 1};

static size_t gate(http_req *req, int *status)
{
	(void)req;
	*status = 0;
	return 1024 * 1024;
}

static void stop(void)
{
	http_server_stop(srv);
	char path[200];
	snprintf(path, sizeof path, "%s/tmp", root);
	rmdir(path);
	rmdir(root);
}

static int start(void)
{
	snprintf(root, sizeof root, "/tmp/sen-fuzz-mp-XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	snprintf(updir, sizeof updir, "%s/tmp", root);
	if (http_upload_dir_prepare(updir) != 0)
		return -1;
	log_set_level(getenv("SEN_FUZZ_VERBOSE") != NULL ? LOG_INFO : LOG_ERROR);
	http_server_config cfg = {
		.max_body = 64 * 1024,
		.quiet = 1,
		.upload_gate = gate,
		.upload_dir = updir,
		.max_upload_files = 4,
	};
	srv = fuzz_server_start(&cfg, &table, &port, stop);
	return srv != NULL ? 0 : -1;
}

static bool folder_empty(void)
{
	DIR *d = opendir(updir);
	if (d == NULL)
		return false;
	bool empty = true;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			empty = false;
	closedir(d);
	return empty;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > FUZZ_MAX_INPUT)
		return 0;
	arena_t *a = arena_new(1024);
	if (a == NULL)
		return 0;
	const char *name = http_upload_filename(a, (const char *)data, size);
	if (name == NULL || strlen(name) > HTTP_UPLOAD_NAME_MAX || !utf8_valid(name, strlen(name)))
		abort();
	arena_free(a);

	if (srv == NULL && start() != 0)
		abort();
	unsigned mode = data[0];
	const uint8_t *body = data + 1;
	size_t len = size - 1;
	int fd = fuzz_connect(port, 1);
	if (fd < 0) {
		perror("multipart: connect");
		abort();
	}
	char head[256];
	int n;
	if ((mode & 1) == 0)
		n = snprintf(head, sizeof head,
			     "POST /up HTTP/1.1\r\nHost: f\r\nContent-Type: multipart/form-data; "
			     "boundary=FuzzBoundary\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			     len);
	else
		n = snprintf(head, sizeof head,
			     "POST /up HTTP/1.1\r\nHost: f\r\nContent-Type: multipart/form-data; "
			     "boundary=FuzzBoundary\r\nTransfer-Encoding: chunked\r\n"
			     "Connection: close\r\n\r\n");
	fuzz_send_all(fd, head, (size_t)n);
	if ((mode & 1) == 0) {
		fuzz_send_all(fd, body, len);
	} else {
		size_t piece = 1 + mode / 2;
		for (size_t off = 0; off < len; off += piece) {
			size_t k = len - off < piece ? len - off : piece;
			char c[16];
			int cn = snprintf(c, sizeof c, "%zx\r\n", k);
			fuzz_send_all(fd, c, (size_t)cn);
			fuzz_send_all(fd, body + off, k);
			fuzz_send_all(fd, "\r\n", 2);
		}
		fuzz_send_all(fd, "0\r\n\r\n", 5);
	}
	char reply[4096];
	size_t got = 0;
	for (;;) {
		char rest[4096];
		/* Only the status line matters; the rest is read and dropped. */
		ssize_t r = got < sizeof reply - 1 ? recv(fd, reply + got, sizeof reply - 1 - got, 0)
						    : recv(fd, rest, sizeof rest, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (got < sizeof reply - 1)
			got += (size_t)r;
	}
	close(fd);
	reply[got] = '\0';
	int status = 0;
	if (sscanf(reply, "HTTP/1.1 %d", &status) != 1)
		status = 0;
	/* No answer at all, or one that is not ours: the server hung or broke. */
	if (status != 200 && status != 400 && status != 413) {
		fprintf(stderr, "multipart: %zu bytes, mode %u: no usable answer (%zu bytes: %.60s)\n",
			len, mode, got, reply);
		abort();
	}
	if (!folder_empty())
		abort();
	if (getenv("SEN_FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "multipart: %zu bytes, mode %u: %d\n", len, mode, status);
	return 0;
}
