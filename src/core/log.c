/*
 * log.c - diagnostics and the access log, both on stderr.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static int quiet_access;

void log_set_level(enum log_level level)
{
	min_level = level;
}

void log_set_quiet_access(int quiet)
{
	quiet_access = quiet;
}

static const char *level_name(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG: return "DEBUG";
	case LOG_INFO: return "INFO";
	case LOG_WARN: return "WARN";
	default: return "ERROR";
	}
}

static void stamp(char *out, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void vlog(enum log_level level, const char *fmt, va_list ap)
{
	char ts[32], msg[2048], line[2048];
	stamp(ts, sizeof ts);
	vsnprintf(msg, sizeof msg, fmt, ap);
	log_escape(line, sizeof line, msg);
	/* One fprintf per line keeps lines from interleaving between threads. */
	fprintf(stderr, "%s sen[%ld] %s %s\n", ts, (long)getpid(), level_name(level), line);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level < min_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}

void log_escape(char *out, size_t outlen, const char *s)
{
	size_t o = 0;
	if (outlen == 0)
		return;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '\\') {
			if (o + 4 >= outlen)
				break;
			snprintf(out + o, outlen - o, "\\x%02x", c);
			o += 4;
		} else {
			if (o + 1 >= outlen)
				break;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

void log_access(const char *method, const char *path, int status, uint64_t bytes,
		uint64_t micros)
{
	if (quiet_access)
		return;
	char ts[32], m[32], p[1024];
	stamp(ts, sizeof ts);
	log_escape(m, sizeof m, method);
	log_escape(p, sizeof p, path);
	fprintf(stderr, "%s access %s %s %d %llu %lluus\n", ts, m, p, status,
		(unsigned long long)bytes, (unsigned long long)micros);
}
