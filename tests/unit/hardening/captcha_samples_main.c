/*
 * captcha_samples_main.c - `captcha_samples DIR N`: writes N CAPTCHA PNGs
 * and DIR/codes.txt (see captcha_samples.h). Exit 0, 1 on failure, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>

#include "captcha_samples.h"
#include "render/draw.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: captcha_samples DIR N\n");
		return 2;
	}
	char *end;
	long n = strtol(argv[2], &end, 10);
	if (*end != '\0' || n < 1 || n > 100000) {
		fprintf(stderr, "captcha_samples: N must be 1..100000\n");
		return 2;
	}
	int rc = captcha_samples_write(argv[1], (int)n);
	draw_shutdown();
	return rc == 0 ? 0 : 1;
}
