/*
 * fuzz_csv.c - sheet_read_csv() on any bytes: encoding detection (UTF-8,
 * BOM, Windows-1258, TCVN3, VNI), delimiter detection and libcsv. With
 * SEN_FUZZ_PRINT set, prints the encoding and the cells read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "model/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sheet s;
	sheet_info info;
	enum sheet_status st = sheet_read_csv((const char *)data, size, &s, &info);
	if (getenv("SEN_FUZZ_PRINT") != NULL)
		printf("status %d encoding %s\n", (int)st, info.encoding);
	if (st != SHEET_OK)
		return 0;
	/* Whatever came in, every cell that comes out is UTF-8. */
	for (size_t i = 0; i < s.n; i++)
		for (size_t j = 0; j < s.rows[i].n; j++) {
			if (!utf8_valid(s.rows[i].cells[j], strlen(s.rows[i].cells[j])))
				abort();
			if (getenv("SEN_FUZZ_PRINT") != NULL)
				printf("%s%s", j ? "|" : "", s.rows[i].cells[j]);
		}
	sheet_free(&s);
	return 0;
}
