/*
 * fuzz_import.c - import_validate_line() on any bytes.
 *
 * The line is checked as pass 1 of the importer checks it, against a
 * temporary base folder that holds one real picture ("a.png"), a text file
 * dressed as one ("t.png") and a sub-folder, so image paths in the input
 * can reach libmagic and the header reader. No database is opened.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "model/import.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char base[64];

/* A 1x1 PNG. */
static const unsigned char tiny_png[] = {
	0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99,
	0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	if (base[0] != '\0')
		nftw(base, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *name, const void *data, size_t len)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", base, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		abort();
	fwrite(data, 1, len, f);
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	snprintf(base, sizeof base, "/tmp/sen-fuzz-import-XXXXXX");
	if (mkdtemp(base) == NULL)
		abort();
	atexit(cleanup);
	put("a.png", tiny_png, sizeof tiny_png);
	put("t.png", "just text\n", 10);
	char sub[128];
	snprintf(sub, sizeof sub, "%s/anh", base);
	mkdir(sub, 0700);
	put("anh/b.png", tiny_png, sizeof tiny_png);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[1024];
	why[0] = '\0';
	int rc = import_validate_line((const char *)data, size, base, why, sizeof why);
	if (rc != 0 && rc != 1 && rc != -1)
		abort();
	/* A reason is one line and NUL-terminated within the buffer. */
	if (rc == -1 && (why[0] == '\0' || memchr(why, '\0', sizeof why) == NULL ||
			 strchr(why, '\n') != NULL))
		abort();
	return 0;
}
