/*
 * register_shared.c - helpers of the register's back-office pages (see
 * register_shared.h).
 */
#include "admin/register_shared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/fmt.h"
#include "model/location.h"
#include "model/movement.h"
#include "model/object.h"

const char *admin_reg_problem(http_req *req, const char *labels, const model_problem *f)
{
	const char *label = web_text(req, arena_sprintf(req->arena, "%s%s", labels,
							f->field != NULL ? f->field : ""));
	const char *why = web_text(req, arena_sprintf(req->arena, "admin_%s", reg_problem_key(f->code)));
	return arena_sprintf(req->arena, "%s: %s", label, why);
}

const char *admin_reg_problem_as(http_req *req, const char *labels, const model_problem *f,
				 enum reg_problem code, const char *key)
{
	if (f->code != (int)code)
		return admin_reg_problem(req, labels, f);
	const char *label = web_text(req, arena_sprintf(req->arena, "%s%s", labels,
							f->field != NULL ? f->field : ""));
	return arena_sprintf(req->arena, "%s: %s", label, web_text(req, key));
}

const char *admin_reg_word(http_req *req, const char *family, const char *code)
{
	return web_text(req, arena_sprintf(req->arena, "%s%s", family, code != NULL ? code : ""));
}

json_t *admin_reg_choices(http_req *req, const char *family, const char *const *codes,
			  const char *selected)
{
	json_t *list = json_array();
	for (size_t i = 0; codes[i] != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", codes[i], "label",
						      admin_reg_word(req, family, codes[i]), "selected",
						      selected != NULL && strcmp(selected, codes[i]) == 0));
	return list;
}

json_t *admin_reg_materials(http_req *req, db_t *db, const char *selected)
{
	object_material *mats;
	size_t n;
	if (object_material_list(db, req->arena, &mats, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", mats[i].code,
						      "label",
						      arena_sprintf(req->arena, "%s - %s", mats[i].code,
								    mats[i].name),
						      "selected",
						      selected != NULL && strcmp(selected, mats[i].code) == 0));
	return list;
}

json_t *admin_reg_places(http_req *req, db_t *db, int64_t selected)
{
	location_node *nodes;
	size_t n;
	if (location_tree(db, req->arena, &nodes, &n) != 0)
		return NULL;
	/* The tree comes depth first, so the path of a place is the path of
	 * the last place one level up, plus its name. */
	const char *above[LOCATION_DEPTH_MAX + 1] = {0};
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		int d = nodes[i].depth;
		if (d < 0 || d > LOCATION_DEPTH_MAX)
			continue;
		const char *path = d == 0 || above[d - 1] == NULL
				       ? nodes[i].place.name
				       : arena_sprintf(req->arena, "%s › %s", above[d - 1],
						       nodes[i].place.name);
		above[d] = path;
		json_array_append_new(list, json_pack("{s:I, s:s, s:b}", "value",
						      (json_int_t)nodes[i].place.id, "label", path,
						      "selected", nodes[i].place.id == selected));
	}
	return list;
}

const char *admin_reg_who(const admin_user *me)
{
	return me->display_name != NULL && me->display_name[0] != '\0' ? me->display_name : me->name;
}

int admin_reg_audit(http_req *req, const admin_user *me, db_t *db, const char *action,
		    const char *target, const char *details)
{
	audit_actor actor;
	char addr[AUDIT_ADDRESS_LEN + 1];
	admin_actor(req, me, &actor, addr);
	return audit_add(db, admin_now(), &actor, action, target, details);
}

int admin_reg_saved(http_req *req, http_res *res, const admin_user *me, db_t *db, int rc,
		    const char *action, const char *target, const char *details,
		    const char *to)
{
	if (rc != 0)
		return admin_error(req, res, me, 500, NULL);
	admin_reg_audit(req, me, db, action, target, details);
	return http_redirect(res, 303, to);
}

int admin_send_made(http_res *res, int (*make)(const char *path, void *arg), void *arg)
{
	char path[] = "/tmp/sen-made-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 500;
	close(fd);
	fd = make(path, arg) == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	unlink(path);
	return fd >= 0 ? http_send_fd(res, fd) : 500;
}

int admin_reg_on_row(http_req *req, http_res *res, const admin_user *me, admin_reg_row_fn fn)
{
	int64_t id;
	db_t *db;
	int status = admin_route_row(req, &id, &db);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	return fn(req, res, me, id, db);
}

bool admin_reg_read_fields(http_req *req, const char *const *names, size_t max, const char **v,
			   json_t *values, model_problem *f)
{
	for (size_t i = 0; names[i] != NULL; i++) {
		v[i] = admin_field(req, names[i], max);
		if (v[i] == NULL) {
			reg_refuse(f, REG_TOO_LONG, names[i]);
			return false;
		}
		json_object_set_new(values, names[i], json_string(v[i]));
	}
	return true;
}

bool admin_reg_optional_id(const char *s, int64_t *id)
{
	*id = 0;
	return s[0] == '\0' || web_parse_id(s, id) == 0;
}

int admin_reg_form_render(http_req *req, http_res *res, const admin_user *me, json_t *ctx,
			  int status, const char *action, const char *pattern,
			  const char *back_url, const char *message, json_t *values,
			  const char *template_name)
{
	json_object_set_new(ctx, "values", values != NULL ? values : json_object());
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "csrf", json_string(admin_csrf_token(
					     req, me, pattern != NULL ? pattern : action)));
	json_object_set_new(ctx, "back_url", json_string(back_url));
	if (message != NULL)
		json_object_set_new(ctx, "message", json_string(message));
	return admin_render(req, res, status, template_name, ctx);
}

void admin_reg_set_url(http_req *req, json_t *ctx, const char *key, const char *base, int64_t id,
		       const char *suffix)
{
	json_object_set_new(ctx, key,
			    json_string(arena_sprintf(req->arena, "%s/%lld%s", base, (long long)id,
						      suffix)));
}

void admin_reg_list_filter(http_req *req, object_filter *flt)
{
	static const char *const statuses[] = {"intake", "main", "reference", "returned", NULL};
	const char *q = http_query(req, "q"), *status = http_query(req, "trang-thai");
	const char *material = http_query(req, "chat-lieu");
	memset(flt, 0, sizeof *flt);
	flt->query = q != NULL && q[0] != '\0' ? q : NULL;
	for (size_t i = 0; status != NULL && statuses[i] != NULL; i++)
		if (strcmp(status, statuses[i]) == 0)
			flt->status = statuses[i];
	flt->material_code = material != NULL && material[0] != '\0' ? material : NULL;
}

int admin_reg_card_load(http_req *req, db_t *db, int64_t id, object_card *c, acquisition *q,
			donor *d)
{
	*d = (donor){.name = ""};
	int status = admin_get_status(object_get(db, req->arena, id, c));
	if (status == 0)
		status = admin_get_status(acquisition_get(db, req->arena, c->acquisition_id, q));
	if (status == 0 && q->donor_id > 0)
		status = admin_get_status(donor_get(db, req->arena, q->donor_id, d));
	return status;
}

static const char *place_path(http_req *req, db_t *db, int64_t id)
{
	const char *p = id > 0 ? location_path(db, req->arena, id) : NULL;
	return p != NULL ? p : "";
}

json_t *admin_reg_moves(http_req *req, db_t *db, int64_t object_id)
{
	movement *moves;
	size_t n;
	if (movement_list(db, req->arena, object_id, &moves, &n) != 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "on",
				    admin_reg_day(req, moves[i].moved_on), "from",
				    place_path(req, db, moves[i].from_location_id), "to",
				    place_path(req, db, moves[i].to_location_id), "who", moves[i].who,
				    "reason", admin_reg_word(req, "admin_move_reason_", moves[i].reason),
				    "note", moves[i].note));
	return list;
}

const char *admin_reg_day(http_req *req, const char *iso)
{
	if (iso == NULL || strlen(iso) != 10)
		return "";
	return arena_sprintf(req->arena, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

json_t *admin_reg_form_defaults(http_req *req, const admin_user *me, const char *day_field,
				const char *who_field)
{
	char today[11];
	reg_today(today);
	return json_pack("{s:s, s:s}", day_field, admin_reg_day(req, today), who_field,
			 admin_reg_who(me));
}

int admin_reg_object_context(http_req *req, const admin_user *me, db_t *db, int64_t id,
			     const char *title_key, object_card *c, json_t **ctx)
{
	*ctx = NULL;
	int rc = db != NULL ? object_get(db, req->arena, id, c) : -1;
	if (rc != 0)
		return rc == 1 ? 404 : 500;
	if ((*ctx = admin_context(req, me, title_key)) == NULL)
		return 500;
	json_object_set_new(*ctx, "name", json_string(c->name));
	json_object_set_new(*ctx, "number",
			    json_string(c->reg_number[0] ? c->reg_number : c->intake_no));
	json_object_set_new(*ctx, "card_url",
			    json_string(arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld",
						      (long long)id)));
	return 0;
}

const char *admin_reg_photo_label(const media_item *it)
{
	return it->m.alt[0] != '\0' ? it->m.alt : it->m.original_name;
}

json_t *admin_reg_photos(http_req *req, const object_photo *p, size_t n)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const media_item *it = &p[i].item;
		json_array_append_new(
		    list, json_pack("{s:I, s:I, s:s, s:s, s:b, s:b, s:b, s:b}", "id",
				    (json_int_t)p[i].media_id, "position", (json_int_t)(i + 1), "thumb",
				    arena_sprintf(req->arena, "/media/%s", it->thumb), "label",
				    admin_reg_photo_label(it), "ready", it->state == MEDIA_READY, "lead",
				    p[i].lead, "first", i == 0, "last", i + 1 == n));
	}
	return list;
}

const char *admin_reg_url(http_req *req, const char *path, const char *const *pairs)
{
	return web_url(req, path, pairs);
}

const char *admin_reg_count(http_req *req, int64_t n)
{
	return web_count(req, n);
}

const char *admin_reg_decimal(http_req *req, double v)
{
	return web_decimal(req, v);
}

int64_t admin_reg_cursor(http_req *req)
{
	const char *s = http_query(req, "sau");
	int64_t id = 0;
	if (s != NULL && s[0] != '\0' && web_parse_id(s, &id) != 0)
		return -1;
	return id;
}

int admin_reg_dated_form(http_req *req, const admin_user *me, db_t *db, int64_t id,
			 const char *title_key, const char *day_field, const char *who_field,
			 object_card *c, json_t **ctx, json_t **values)
{
	int status = admin_reg_object_context(req, me, db, id, title_key, c, ctx);
	if (status != 0) {
		json_decref(*ctx);
		json_decref(*values);
		*ctx = *values = NULL;
		return status;
	}
	if (*values == NULL)
		*values = admin_reg_form_defaults(req, me, day_field, who_field);
	return 0;
}

/* ---- the card's fields (the card page and its print) ---------------------------- */

/* Related entities come ordered by kind, so a group starts where the kind
 * changes. */
json_t *admin_reg_related_groups(http_req *req, db_t *db, int64_t id)
{
	object_related *r;
	size_t n;
	if (object_related_list(db, req->arena, id, &r, &n) != 0)
		return NULL;
	json_t *groups = json_array(), *names = NULL;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(r[i].kind, r[i - 1].kind) != 0) {
			names = json_array();
			json_array_append_new(groups, json_pack("{s:s, s:o}", "kind",
								admin_reg_word(req, "admin_reg_related_", r[i].kind),
								"names", names));
		}
		json_array_append_new(names, json_pack("{s:s}", "name", r[i].name));
	}
	return groups;
}

static void add_line(json_t *arr, http_req *req, const char *key, const char *value)
{
	if (value != NULL && value[0] != '\0')
		json_array_append_new(arr, json_pack("{s:s, s:s}", "label", web_text(req, key),
						     "value", value));
}

static const char *measure(http_req *req, double v, const char *unit)
{
	return v > 0 ? arena_sprintf(req->arena, "%s %s", admin_reg_decimal(req, v), unit) : "";
}

/* "Kim loại và hợp kim (KL)": the controlled list's name of a code. */
static const char *material_text(http_req *req, db_t *db, const char *code)
{
	const char *name = object_material_name(db, req->arena, code);
	return name != NULL ? arena_sprintf(req->arena, "%s (%s)", name, code) : code;
}

json_t *admin_reg_card_fields(http_req *req, db_t *db, const object_card *c, const acquisition *q,
			      const donor *d)
{
	json_t *f = json_array();
	add_line(f, req, "admin_reg_field_reg_number", c->reg_number);
	add_line(f, req, "admin_reg_field_intake_no", c->intake_no);
	add_line(f, req, "admin_reg_field_status", admin_reg_word(req, "admin_reg_status_", c->status));
	add_line(f, req, "admin_reg_field_name", c->name);
	add_line(f, req, "admin_reg_field_other_names", c->other_names);
	add_line(f, req, "admin_reg_field_kind", admin_reg_word(req, "admin_reg_kind_", c->kind));
	add_line(f, req, "admin_reg_field_class", admin_reg_word(req, "admin_reg_class_",
								  c->heritage_class[0] ? c->heritage_class : "none"));
	add_line(f, req, "admin_reg_field_material_code", material_text(req, db, c->material_code));
	add_line(f, req, "admin_reg_field_material_note", c->material_note);
	add_line(f, req, "admin_reg_field_technique", c->technique);
	add_line(f, req, "admin_print_field_length", measure(req, c->length_cm, "cm"));
	add_line(f, req, "admin_print_field_width", measure(req, c->width_cm, "cm"));
	add_line(f, req, "admin_print_field_height", measure(req, c->height_cm, "cm"));
	add_line(f, req, "admin_print_field_diameter", measure(req, c->diameter_cm, "cm"));
	add_line(f, req, "admin_print_field_weight", measure(req, c->weight_g, "g"));
	add_line(f, req, "admin_reg_field_pieces", admin_reg_count(req, c->pieces > 0 ? c->pieces : 1));
	add_line(f, req, "admin_reg_field_dating", c->dating);
	add_line(f, req, "admin_reg_field_origin_place", c->origin_place);
	add_line(f, req, "admin_reg_field_description", c->description);
	add_line(f, req, "admin_reg_field_mode", admin_reg_word(req, "admin_reg_mode_", q->mode));
	add_line(f, req, "admin_print_field_acquired_on", admin_reg_day(req, q->acquired_on));
	add_line(f, req, "admin_reg_field_donor", d->name);
	add_line(f, req, "admin_reg_field_handover_no", q->handover_no);
	add_line(f, req, "admin_print_field_value",
		 c->value > 0 ? arena_sprintf(req->arena, "%s đ", admin_reg_count(req, c->value)) : "");
	add_line(f, req, "admin_reg_field_location",
		 c->location_id > 0 ? location_path(db, req->arena, c->location_id) : "");
	add_line(f, req, "admin_reg_field_notes", c->notes);
	add_line(f, req, "admin_print_field_public",
		 web_text(req, c->public_ ? "admin_print_yes" : "admin_print_no"));
	return f;
}
