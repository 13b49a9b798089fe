/*
 * log.h - one place that writes diagnostics to stderr.
 *
 * Lines look like "2026-11-27T03:30:00Z sen[pid] LEVEL message".
 * log_error() is for failures, log_info() for lifecycle events.
 * fatal() logs and exits(1); only at start-up or for impossible states.
 * log_access() writes one access-log line per request; control characters
 * in the path are escaped as \xNN so a request cannot forge log lines.
 */
#ifndef SEN_CORE_LOG_H
#define SEN_CORE_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_set_quiet_access(int quiet);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void log_access(const char *method, const char *path, int status, uint64_t bytes,
		uint64_t micros);

/* Writes s escaped for a log line into out (always NUL-terminated). */
void log_escape(char *out, size_t outlen, const char *s);

#endif
