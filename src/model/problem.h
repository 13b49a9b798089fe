/*
 * problem.h - why a model refused an input: a code and the field at fault.
 *
 * Models never explain a refusal in words. They fill a model_problem, and
 * the handler turns the code into a catalog message in the reader's
 * language (locale/) and marks the field on its form. Each model has its
 * own enum of codes (enum comment_problem, enum article_problem, enum
 * link_problem, enum reg_problem for the register's models ...), 0 meaning
 * "no problem"; the handler that knows the model knows its enum.
 *
 * The numbers a message needs travel with the code, so no handler has to
 * know a model's limits: the limit broken, the count found against it, and
 * for a list field (tags, images) the 1-based item at fault.
 */
#ifndef SEN_MODEL_PROBLEM_H
#define SEN_MODEL_PROBLEM_H

#include <stdint.h>

typedef struct {
	int code;            /* the model's enum value; 0 = no problem */
	const char *field;   /* a static name of the input's field ("name", "tags"), or NULL */
	int64_t limit;       /* for "too long" and "too many": the limit, else 0 */
	int64_t count;       /* what was found against that limit, else 0 */
	int item;            /* 1-based position in a list field, else 0 */
} model_problem;

/* Clears p (p may be NULL). */
void model_problem_clear(model_problem *p);

/* Sets p (p may be NULL) to code and field, with no numbers; returns -1 so a
 * validator can say `return model_refuse(p, CODE, "field");`. */
int model_refuse(model_problem *p, int code, const char *field);

/* The same with the limit and the count found (both 0 when unknown). */
int model_refuse_limit(model_problem *p, int code, const char *field, int64_t limit,
		       int64_t count);

/* For models that return a refusal as a positive code (the register,
 * categories, tags): sets p to code, field and limit when code > 0, clears
 * it otherwise, and returns code, so the caller has both. */
int model_answer(model_problem *p, int code, const char *field, int64_t limit);

#endif
