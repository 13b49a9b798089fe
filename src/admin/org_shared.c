/*
 * org_shared.c - what the pages of units and staff (unit_page.c) and of key
 * tasks (task_page.c) share: the units as select choices, and a list of
 * tasks as rows (themes/default/partials/task_rows) with the overdue badge.
 */
#include <stdio.h>
#include <string.h>

#include "admin/register_shared.h"
#include "core/arena.h"
#include "model/task.h"
#include "model/unit.h"

json_t *admin_task_json(http_req *req, const task *t)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "url",
			      arena_sprintf(req->arena, ADMIN_PATH_TASKS "/%lld", (long long)t->id), "title", t->title, "lead", t->lead_unit_name,
			      "support", t->support_names, "person", t->person_name, "starts",
			      admin_reg_day(req, t->starts_on), "due", admin_reg_day(req, t->due_on),
			      "status", admin_reg_word(req, "admin_task_status_", t->status),
			      "status_code", t->status, "overdue", t->overdue, "percent",
			      arena_sprintf(req->arena, "%lld%%", (long long)t->percent));
	if (o != NULL && t->indicator_id > 0)
		json_object_set_new(o, "indicator", json_string(t->indicator_name));
	return o;
}

int admin_task_rows(http_req *req, db_t *db, json_t *ctx, const task_filter *flt)
{
	task *ts;
	size_t n;
	if (task_list(db, req->arena, flt, &ts, &n) != 0)
		return -1;
	json_t *list = json_array();
	size_t overdue = 0;
	for (size_t i = 0; i < n; i++) {
		overdue += ts[i].overdue;
		json_array_append_new(list, admin_task_json(req, &ts[i]));
	}
	json_object_set_new(ctx, "tasks", list);
	json_object_set_new(ctx, "has_tasks", json_boolean(n > 0));
	json_object_set_new(ctx, "overdue_count", json_string(admin_reg_count(req, (int64_t)overdue)));
	return 0;
}

json_t *admin_unit_choices(http_req *req, db_t *db, int64_t except, const char *selected)
{
	unit *us;
	size_t n;
	if (unit_list(db, req->arena, false, &us, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		if (us[i].id == except)
			continue;
		const char *value = arena_sprintf(req->arena, "%lld", (long long)us[i].id);
		/* The tree shows as indentation: two no-break spaces a level. */
		const char *label = us[i].name;
		for (int64_t d = 0; d < us[i].depth && d < 8; d++)
			label = arena_sprintf(req->arena, "\u00a0\u00a0%s", label);
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", value, "label", label,
						      "selected",
						      selected != NULL && strcmp(selected, value) == 0));
	}
	return list;
}

