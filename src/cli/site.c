/*
 * site.c - `sen links` and `sen related` (placeholder: being written).
 */
#include <stdio.h>

#include "cli/cli.h"

int cli_links(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "sen links: chưa có\n");
	return 2;
}

int cli_related(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "sen related: chưa có\n");
	return 2;
}
