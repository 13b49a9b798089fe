/*
 * args.c - the options of the commands that take nothing but --data DIR and
 * --help before a verb (cli.h: cli_verb_args).
 */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

int cli_verb_args(int argc, char **argv, void (*usage)(FILE *out), const char *verb,
		  int noperands, const char **data)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	*data = app_default_data_dir();
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': *data = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != noperands || (verb != NULL && strcmp(argv[optind], verb) != 0)) {
		usage(stderr);
		return 2;
	}
	return -1;
}
