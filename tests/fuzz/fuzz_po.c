/*
 * fuzz_po.c - the .po catalog reader on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "render/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	json_t *o = i18n_parse_po("fuzz.po", (const char *)data, size, err, sizeof err);
	json_decref(o);
	return 0;
}
