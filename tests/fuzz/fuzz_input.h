/*
 * fuzz_input.h - what several fuzz targets do with their bytes before the
 * code under test sees them: a NUL-terminated copy, split into fields at
 * the byte 0x1F; and the initializer of the targets that only quiet the
 * log. Header-only, so each target stays one file for meson and libFuzzer.
 */
#ifndef SEN_TESTS_FUZZ_INPUT_H
#define SEN_TESTS_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

/* For fuzz_text(): no limit but the size of memory. */
#define FUZZ_NO_LIMIT (SIZE_MAX - 1)

/* A NUL-terminated copy of the input (the caller frees it), or NULL when
 * size is over max or memory runs out: the target then returns at once. */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t max)
{
	if (size > max)
		return NULL;
	char *s = malloc(size + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Splits text in place at each byte 0x1F into n fields: missing fields are
 * NULL, and what follows an n-th 0x1F is dropped. */
static inline void fuzz_fields(char *text, char **fields, int n)
{
	char *p = text;
	for (int i = 0; i < n; i++) {
		fields[i] = p;
		if (p == NULL)
			continue;
		p = strchr(p, 0x1F);
		if (p != NULL)
			*p++ = '\0';
	}
}

/* Defines LLVMFuzzerInitialize() for a target that needs nothing but a
 * quiet log: the fuzzer's output shows crashes, not refusals. */
#define FUZZ_INITIALIZE_QUIET                                                                \
	int LLVMFuzzerInitialize(int *argc, char ***argv);                                   \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                                    \
	{                                                                                    \
		(void)argc;                                                                  \
		(void)argv;                                                                  \
		log_set_level(LOG_ERROR);                                                    \
		return 0;                                                                    \
	}

#endif
