/*
 * print_register.c - the printed register book ("Sổ đăng ký hiện vật", A4
 * landscape: a cover page, then one row per object with the columns a
 * Vietnamese register keeps) at /admin/so-dang-ky/in, with the same filters
 * as the list and a range of running numbers; and the printed object card
 * ("Phiếu hiện vật", A4 portrait: every field, the lead photo, the history
 * of corrections, moves and condition checks) at /admin/so-dang-ky/ID/in.
 *
 * Everyone who reads the register may print it (admin_private.h). A book
 * holds at most BOOK_MAX rows: a bigger register is printed by ranges of
 * numbers, and the page says so and offers the next range.
 */
#include <stdio.h>
#include <string.h>

#include "admin/admin_private.h"
#include "admin/register_shared.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/fmt.h"
#include "model/acquisition.h"
#include "model/donor.h"
#include "model/location.h"
#include "model/media.h"
#include "model/object_book.h"
#include "model/object_care.h"
#include "model/object_photo.h"
#include "model/register_log.h"
#include "model/register_number.h"

#define PATH_BOOK ADMIN_PATH_PRINT_BOOK
#define PATH_CARD_PRINT ADMIN_PATH_REGISTER "/:id/in"
#define PATH_HANDOVER ADMIN_PATH_REGISTER "/thu-nhan/:id/bien-ban"
#define HANDOVER_MAX 1000
/* About 130 landscape pages: what a browser still prints in reasonable
 * time, and more than a year of registering at ten objects a day. */
#define BOOK_MAX 2000

/* ---- the register book --------------------------------------------------------- */

typedef struct {
	http_req *req;
	db_t *db;
	json_t *rows;
	size_t n;
	const register_book *books;
	size_t nbooks;
	int64_t register_id;    /* of the rows so far; -1 when they span several */
	const char *first_number, *last_number;
	const char *first_day, *last_day;   /* yyyy-mm-dd, lowest and highest */
	int64_t last_seq;
	int64_t place_id;       /* the last place looked up, and its path */
	const char *place;
} book_walk;

static const char *word_or_empty(http_req *req, const char *family, const char *code)
{
	return code != NULL && code[0] != '\0' ? admin_reg_word(req, family, code) : "";
}

/* "D 12,5 × R 8 × C 20 cm; ĐK 5 cm; 350 g": the measures taken. */
static const char *size_text(http_req *req, const object_book_row *r)
{
	buf_t b = BUF_INIT;
	const struct {
		const char *key;
		double v;
	} dims[] = {{"admin_print_length", r->length_cm},
		    {"admin_print_width", r->width_cm},
		    {"admin_print_height", r->height_cm}};
	size_t shown = 0;
	for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
		if (dims[i].v > 0)
			buf_printf(&b, "%s%s %s", shown++ ? " × " : "", web_text(req, dims[i].key),
				   admin_reg_decimal(req, dims[i].v));
	if (shown > 0)
		buf_puts(&b, " cm");
	if (r->diameter_cm > 0)
		buf_printf(&b, "%s%s %s cm", b.len ? "; " : "", web_text(req, "admin_print_diameter"),
			   admin_reg_decimal(req, r->diameter_cm));
	if (r->weight_g > 0)
		buf_printf(&b, "%s%s g", b.len ? "; " : "", admin_reg_decimal(req, r->weight_g));
	const char *s = b.failed || b.len == 0 ? "" : arena_sprintf(req->arena, "%.*s", (int)b.len, b.data);
	buf_free(&b);
	return s;
}

static const char *place_of(book_walk *w, int64_t id)
{
	if (id <= 0)
		return "";
	if (id != w->place_id) {
		const char *p = location_path(w->db, w->req->arena, id);
		w->place_id = id;
		w->place = p != NULL ? p : "";
	}
	return w->place;
}

static int book_row(void *ctx, const object_book_row *r)
{
	book_walk *w = ctx;
	http_req *req = w->req;
	const char *number = r->reg_number[0] != '\0' ? r->reg_number : r->intake_no;
	const char *source = word_or_empty(req, "admin_reg_mode_", r->mode);
	if (r->source[0] != '\0')
		source = arena_sprintf(req->arena, "%s: %s", source, r->source);
	const char *material = r->material_name[0] != '\0'
				   ? arena_sprintf(req->arena, "%s (%s)", r->material_name, r->material_code)
				   : r->material_code;
	if (r->material_note[0] != '\0')
		material = arena_sprintf(req->arena, "%s; %s", material, r->material_note);
	const char *dating = r->dating;
	if (r->heritage_class[0] != '\0')
		dating = arena_sprintf(req->arena, "%s%s%s", dating, dating[0] ? "; " : "",
				       admin_reg_word(req, "admin_reg_class_", r->heritage_class));
	json_t *row = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "stt",
	    admin_print_int(req, (int64_t)w->n + 1), "number", number, "intake_no",
	    r->reg_number[0] != '\0' ? r->intake_no : "", "day", admin_reg_day(req, r->acquired_on),
	    "name", r->name, "other_names", r->other_names, "source", source ? source : "",
	    "material", material ? material : "", "size", size_text(req, r),
	    "pieces", admin_print_int(req, r->pieces > 0 ? r->pieces : 1), "dating",
	    dating ? dating : "", "condition", word_or_empty(req, "admin_care_state_", r->condition),
	    "place", place_of(w, r->location_id), "notes", r->notes);
	if (row == NULL || json_array_append_new(w->rows, row) != 0 || arena_failed(req->arena))
		return -1;
	if (w->n++ == 0) {
		w->first_number = arena_sprintf(req->arena, "%s", number);
		w->register_id = r->register_id;
		w->first_day = w->last_day = arena_sprintf(req->arena, "%s", r->acquired_on);
	} else if (w->register_id != r->register_id) {
		w->register_id = -1;
	}
	w->last_number = arena_sprintf(req->arena, "%s", number);
	if (strcmp(r->acquired_on, w->first_day) < 0)
		w->first_day = arena_sprintf(req->arena, "%s", r->acquired_on);
	if (strcmp(r->acquired_on, w->last_day) > 0)
		w->last_day = arena_sprintf(req->arena, "%s", r->acquired_on);
	w->last_seq = r->reg_seq;
	return 0;
}

/* The register the rows belong to, as the cover names it. */
static const char *book_name(http_req *req, const book_walk *w)
{
	if (w->register_id == 0)
		return web_text(req, "admin_print_intake_book");
	for (size_t i = 0; i < w->nbooks; i++)
		if (w->books[i].id == w->register_id)
			return arena_sprintf(req->arena, "%s (%s)", w->books[i].name, w->books[i].code);
	return web_text(req, "admin_print_all_registers");
}

/* A running number typed in the range form: "" is 0 (no bound). */
static bool read_bound(const char *s, int64_t *v)
{
	*v = 0;
	return s == NULL || s[0] == '\0' || web_parse_id(s, v) == 0;
}

static int book_print(http_req *req, http_res *res, const admin_user *me)
{
	db_t *db = db_get();
	object_filter flt;
	admin_reg_list_filter(req, &flt);
	const char *from_s = http_query(req, "tu"), *to_s = http_query(req, "den");
	int64_t from, to;
	model_problem f = {0};
	int rc = 0;
	if (!read_bound(from_s, &from))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "from");
	else if (!read_bound(to_s, &to))
		rc = reg_refuse(&f, REG_BAD_NUMBER, "to");
	else if (to > 0 && to < from)
		rc = reg_refuse(&f, REG_OUT_OF_RANGE, "to");
	book_walk w = {.req = req, .db = db, .rows = json_array()};
	register_book *books = NULL;
	bool more = false;
	if (db == NULL || register_number_list(db, req->arena, &books, &w.nbooks) != 0)
		rc = -1;
	w.books = books;
	if (rc == 0)
		rc = object_book_each(db, &flt, from, to, BOOK_MAX, book_row, &w, &more, &f);
	json_t *ctx = rc >= 0 ? admin_print_context(req, me, "admin_print_book_title",
						    ADMIN_PATH_REGISTER, true)
			      : NULL;
	if (ctx == NULL) {
		json_decref(w.rows);
		return admin_error(req, res, me, 500, NULL);
	}
	if (rc > 0) {
		json_object_set_new(ctx, "message", json_string(admin_reg_problem(req, "admin_print_field_", &f)));
		json_array_clear(w.rows);
		w.n = 0;
	}
	json_object_set_new(ctx, "rows", w.rows);
	json_object_set_new(ctx, "empty", json_boolean(w.n == 0));
	json_object_set_new(ctx, "count", json_string(admin_print_int(req, (int64_t)w.n)));
	json_object_set_new(ctx, "register_name", json_string(book_name(req, &w)));
	if (w.n > 0) {
		json_object_set_new(ctx, "first_number", json_string(w.first_number));
		json_object_set_new(ctx, "last_number", json_string(w.last_number));
		json_object_set_new(ctx, "first_day", json_string(admin_reg_day(req, w.first_day)));
		json_object_set_new(ctx, "last_day", json_string(admin_reg_day(req, w.last_day)));
	}
	/* What the reader typed stays in the range form, even when refused. */
	json_object_set_new(ctx, "values",
			    json_pack("{s:s, s:s, s:s, s:s, s:s}", "tu", from_s ? from_s : "", "den",
				      to_s ? to_s : "", "q", flt.query ? flt.query : "", "status",
				      flt.status ? flt.status : "", "material",
				      flt.material_code ? flt.material_code : ""));
	if (flt.status != NULL)
		json_object_set_new(ctx, "status_word",
				    json_string(admin_reg_word(req, "admin_reg_status_", flt.status)));
	if (more) {
		json_object_set_new(ctx, "capped", json_string(admin_print_int(req, BOOK_MAX)));
		if (w.last_seq > 0)
			json_object_set_new(ctx, "next_from", json_integer(w.last_seq + 1));
	}
	json_object_set_new(ctx, "action", json_string(PATH_BOOK));
	return admin_render(req, res, rc > 0 ? 400 : 200, "admin/print_register", ctx);
}

/* ---- the object card ------------------------------------------------------------ */

/* The history of the card: register entries, moves and condition checks. */
static int card_history(http_req *req, db_t *db, int64_t id, json_t *ctx)
{
	register_entry *entries;
	object_condition *checks;
	size_t nentries, nchecks;
	json_t *moved = NULL;
	if (register_history(db, req->arena, id, &entries, &nentries) != 0 ||
	    object_condition_list(db, req->arena, id, &checks, &nchecks) != 0 ||
	    (moved = admin_reg_moves(req, db, id)) == NULL)
		return -1;
	const app_t *app = req->app;
	json_t *log = json_array(), *checked = json_array();
	for (size_t i = 0; i < nentries; i++) {
		char on[16];
		fmt_date(on, sizeof on, entries[i].at, app->cfg.utc_offset);
		json_array_append_new(log, json_pack("{s:s, s:s, s:s, s:s, s:s}", "on", on, "kind",
						     admin_reg_word(req, "admin_print_entry_", entries[i].kind),
						     "number", entries[i].reg_number, "who",
						     entries[i].who, "why", entries[i].why));
	}
	for (size_t i = 0; i < nchecks; i++)
		json_array_append_new(checked, json_pack("{s:s, s:s, s:s, s:s}", "on",
							 admin_reg_day(req, checks[i].checked_on), "state",
							 admin_reg_word(req, "admin_care_state_", checks[i].state),
							 "who", checks[i].checked_by, "note", checks[i].note));
	json_object_set_new(ctx, "entries", log);
	json_object_set_new(ctx, "moves", moved);
	json_object_set_new(ctx, "checks", checked);
	json_object_set_new(ctx, "has_entries", json_boolean(nentries > 0));
	json_object_set_new(ctx, "has_moves", json_boolean(json_array_size(moved) > 0));
	json_object_set_new(ctx, "has_checks", json_boolean(nchecks > 0));
	return 0;
}

/* The lead photo as the library serves it (a variant of about 800 px). */
static int card_photo(http_req *req, db_t *db, int64_t id, json_t *ctx)
{
	object_photo *photos;
	size_t n;
	if (object_photo_list(db, req->arena, id, true, &photos, &n) != 0)
		return -1;
	if (n == 0)
		return 0;
	media_responsive pic;
	int rc = media_responsive_for(db, req->arena, photos[0].item.m.file, &pic);
	if (rc < 0)
		return -1;
	if (rc == 0)
		json_object_set_new(ctx, "photo",
				    json_pack("{s:s, s:s, s:s, s:i, s:i}", "src", pic.src, "alt",
					      pic.alt, "credit", pic.credit, "width", pic.width,
					      "height", pic.height));
	return 0;
}

static int card_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	object_card c;
	acquisition q;
	donor d;
	int status = admin_reg_card_load(req, db, id, &c, &q, &d);
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	const char *card_url = arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/%lld", (long long)id);
	json_t *ctx = admin_print_context(req, me, "admin_print_card_title", card_url, false);
	if (ctx == NULL)
		return admin_error(req, res, me, 500, NULL);
	json_object_set_new(ctx, "name", json_string(c.name));
	json_object_set_new(ctx, "number", json_string(c.reg_number[0] ? c.reg_number : c.intake_no));
	json_object_set_new(ctx, "fields", admin_reg_card_fields(req, db, &c, &q, &d));
	json_t *related = admin_reg_related_groups(req, db, id);
	json_object_set_new(ctx, "related", related != NULL ? related : json_null());
	if (related == NULL || card_history(req, db, id, ctx) != 0 || card_photo(req, db, id, ctx) != 0) {
		json_decref(ctx);
		return admin_error(req, res, me, 500, NULL);
	}
	return admin_render(req, res, 200, "admin/print_card", ctx);
}

static int card_print(http_req *req, http_res *res, const admin_user *me)
{
	return admin_reg_on_row(req, res, me, card_row);
}

/* ---- the hand-over record ------------------------------------------------------- */

static void add_party_line(json_t *lines, http_req *req, const char *key, const char *value)
{
	if (value != NULL && value[0] != '\0')
		json_array_append_new(lines, json_pack("{s:s, s:s}", "label", web_text(req, key),
						       "value", value));
}

static int handover_row(http_req *req, http_res *res, const admin_user *me, int64_t id, db_t *db)
{
	acquisition q;
	donor d = {.name = ""};
	int status = admin_get_status(acquisition_get(db, req->arena, id, &q));
	if (status == 0 && q.donor_id > 0)
		status = admin_get_status(donor_get(db, req->arena, q.donor_id, &d));
	if (status != 0)
		return admin_error(req, res, me, status, NULL);
	object_filter flt = {.acquisition_id = id};
	book_walk w = {.req = req, .db = db, .rows = json_array()};
	bool more = false;
	model_problem f = {0};
	json_t *ctx = NULL;
	if (object_book_each(db, &flt, 0, 0, HANDOVER_MAX, book_row, &w, &more, &f) != 0 ||
	    (ctx = admin_print_context(req, me, "admin_print_handover_title",
				       arena_sprintf(req->arena, ADMIN_PATH_REGISTER "/thu-nhan/%lld",
						     (long long)id),
				       false)) == NULL)
		return admin_fail(req, res, me, 500, w.rows);
	json_t *lines = json_array();
	add_party_line(lines, req, "admin_print_represented", q.giver);
	add_party_line(lines, req, "admin_print_address", d.address);
	add_party_line(lines, req, "admin_print_phone", d.phone);
	add_party_line(lines, req, "admin_print_email", d.email);
	const char *giver = d.name[0] != '\0' ? d.name : q.giver;
	json_object_set_new(ctx, "giver", json_pack("{s:s, s:o}", "name", giver, "lines", lines));
	json_object_set_new(ctx, "receiver", json_string(q.receiver));
	json_object_set_new(ctx, "doc_number", json_string(q.handover_no));
	json_object_set_new(ctx, "day", json_string(admin_reg_day(req, q.acquired_on)));
	json_object_set_new(ctx, "mode", json_string(admin_reg_word(req, "admin_reg_mode_", q.mode)));
	json_object_set_new(ctx, "rows", w.rows);
	json_object_set_new(ctx, "empty", json_boolean(w.n == 0));
	json_object_set_new(ctx, "note", json_string(q.note));
	if (q.value > 0)
		json_object_set_new(ctx, "value", json_string(admin_print_int(req, q.value)));
	if (more)
		json_object_set_new(ctx, "capped", json_string(admin_print_int(req, HANDOVER_MAX)));
	admin_print_sign(req, ctx, "admin_print_giver", q.giver[0] != '\0' ? q.giver : d.name);
	admin_print_sign(req, ctx, "admin_print_receiver", q.receiver);
	return admin_render(req, res, 200, "admin/print_handover", ctx);
}

static int handover_print(http_req *req, http_res *res, const admin_user *me)
{
	return admin_reg_on_row(req, res, me, handover_row);
}

/* ---- the page table ------------------------------------------------------------- */

static const admin_page pages[] = {
	{{HTTP_GET, PATH_BOOK, NULL, ADMIN_REGISTER_READERS}, book_print},
	{{HTTP_GET, PATH_CARD_PRINT, NULL, ADMIN_REGISTER_READERS}, card_print},
	{{HTTP_GET, PATH_HANDOVER, NULL, ADMIN_REGISTER_READERS}, handover_print},
};

const admin_page_table admin_print_register_table = {pages, sizeof pages / sizeof pages[0]};
