/*
 * comments.c - `sen comments` (placeholder: being written).
 */
#include <stdio.h>

#include "cli/cli.h"

int cli_comments(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "sen comments: chưa có\n");
	return 2;
}
