/*
 * problem.c - filling a model_problem (problem.h).
 */
#include "model/problem.h"

#include <stddef.h>

void model_problem_clear(model_problem *p)
{
	if (p != NULL)
		*p = (model_problem){0, NULL, 0, 0, 0};
}

int model_refuse(model_problem *p, int code, const char *field)
{
	return model_refuse_limit(p, code, field, 0, 0);
}

int model_refuse_limit(model_problem *p, int code, const char *field, int64_t limit,
		       int64_t count)
{
	if (p != NULL)
		*p = (model_problem){code, field, limit, count, 0};
	return -1;
}

int model_answer(model_problem *p, int code, const char *field, int64_t limit)
{
	if (code > 0)
		model_refuse_limit(p, code, field, limit, 0);
	else
		model_problem_clear(p);
	return code;
}
