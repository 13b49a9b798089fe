/*
 * sheet_file.c - a spreadsheet read from a file, by its name's ending
 * (see sheet.h). Apart from sheet.c so that the readers (csv.c, xlsx.c),
 * which build sheets with sheet.c, are not in a circle with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/sheet.h"

enum sheet_status sheet_read_file(const char *path, const char *name, sheet *out,
				  sheet_info *info)
{
	memset(out, 0, sizeof *out);
	memset(info, 0, sizeof *info);
	info->encoding = "UTF-8";
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0;
	info->status = SHEET_MALFORMED;
	if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
		long size = ftell(f);
		if (size > (long)SHEET_BYTES_MAX)
			info->status = SHEET_TOO_BIG;
		else if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
			 (data = malloc((size_t)size + 1)) != NULL)
			len = fread(data, 1, (size_t)size, f);
		if (data != NULL && len != (size_t)size) {
			free(data);
			data = NULL;
		}
	}
	if (f != NULL)
		fclose(f);
	if (data == NULL)
		return info->status;
	size_t n = strlen(name);
	if (n >= 5 && strcasecmp(name + n - 5, ".xlsx") == 0)
		sheet_read_xlsx(data, len, out, info);
	else
		sheet_read_csv(data, len, out, info);
	free(data);
	return info->status;
}
