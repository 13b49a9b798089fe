/*
 * fuzz_xlsx.c - sheet_read_xlsx() on any bytes: the zip directory, the
 * shared strings, the workbook's relationships and the worksheet XML all
 * come from the input. With SEN_FUZZ_PRINT set, prints the cells read (a
 * debugging aid for the kept corpus).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sheet s;
	sheet_info info;
	enum sheet_status st = sheet_read_xlsx(data, size, &s, &info);
	if (getenv("SEN_FUZZ_PRINT") != NULL) {
		printf("status %d\n", (int)st);
		for (size_t i = 0; st == SHEET_OK && i < s.n; i++) {
			for (size_t j = 0; j < s.rows[i].n; j++)
				printf("%s%s", j ? "|" : "", s.rows[i].cells[j]);
			printf("\n");
		}
	}
	if (st == SHEET_OK)
		sheet_free(&s);
	return 0;
}
