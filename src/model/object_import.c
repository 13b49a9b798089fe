/*
 * object_import.c - the intake book from a spreadsheet: check everything,
 * then write everything in one transaction (see object_import.h).
 */
#include "model/object_import.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/text.h"
#include "model/acquisition.h"
#include "model/donor.h"
#include "model/location.h"
#include "model/movement.h"
#include "model/object.h"

const object_import_column object_import_columns[] = {
    {"intake_no", "Số nhập tạm", false, "so nhap tam|so tam|intake_no"},
    {"name", "Tên hiện vật", true, "ten hien vat|ten|ten tai lieu|ten hien vat tai lieu|name"},
    {"other_names", "Tên khác", false, "ten khac|ten goi khac|other_names"},
    {"kind", "Loại", false, "loai|loai hien vat|kind"},
    {"material_code", "Chất liệu", true, "chat lieu|ma chat lieu|material|material_code"},
    {"material_note", "Ghi chú chất liệu", false, "ghi chu chat lieu|material_note"},
    {"technique", "Kỹ thuật", false, "ky thuat|ky thuat che tac|technique"},
    {"length_cm", "Dài (cm)", false, "dai|chieu dai|length_cm"},
    {"width_cm", "Rộng (cm)", false, "rong|chieu rong|width_cm"},
    {"height_cm", "Cao (cm)", false, "cao|chieu cao|height_cm"},
    {"diameter_cm", "Đường kính (cm)", false, "duong kinh|diameter_cm"},
    {"weight_g", "Trọng lượng (g)", false, "trong luong|can nang|weight_g"},
    {"pieces", "Số lượng", false, "so luong|so manh|so chiec|pieces"},
    {"dating", "Niên đại", false, "nien dai|thoi ky|thoi ky nien dai|dating"},
    {"origin_place", "Xuất xứ", false, "xuat xu|noi xuat xu|origin_place"},
    {"class", "Phân loại", false, "phan loai|xep loai|class"},
    {"description", "Mô tả", false, "mo ta|description"},
    {"value", "Giá trị (đồng)", false, "gia tri|value"},
    {"notes", "Ghi chú", false, "ghi chu|notes"},
    {"mode", "Phương thức thu nhận", true, "phuong thuc thu nhan|phuong thuc|hinh thuc|mode"},
    {"acquired_on", "Ngày thu nhận", true, "ngay thu nhan|ngay nhap|ngay|acquired_on"},
    {"donor", "Người/đơn vị giao", false,
     "nguoi don vi giao|nguoi giao|nguoi hien tang|don vi giao|nguon|donor"},
    {"handover_no", "Số biên bản", false, "so bien ban|so bien ban giao nhan|handover_no"},
    {"location", "Vị trí", false, "vi tri|vi tri luu giu|kho|location"},
    {NULL, NULL, false, NULL},
};

enum { NCOLUMNS = sizeof object_import_columns / sizeof object_import_columns[0] - 1 };

/* ---- folding ------------------------------------------------------------------- */

/* Folds s (no marks, lower case), drops "(unit)" and punctuation, squeezes
 * spaces: "Tên hiện vật, tài liệu" -> "ten hien vat tai lieu". */
static void fold_words(const char *s, char *out, size_t len)
{
	buf_t b = BUF_INIT;
	out[0] = '\0';
	if (text_fold(s, strlen(s), &b) != 0 || b.data == NULL) {
		buf_free(&b);
		return;
	}
	size_t n = 0;
	int depth = 0;
	bool space = false;
	for (size_t i = 0; i < b.len && n + 2 < len; i++) {
		char c = b.data[i];
		if (c == '(')
			depth++;
		else if (c == ')')
			depth -= depth > 0;
		else if (depth == 0 && (isalnum((unsigned char)c) || c == '_')) {
			if (space && n > 0)
				out[n++] = ' ';
			out[n++] = c;
			space = false;
		} else if (depth == 0) {
			space = true;
		}
	}
	out[n] = '\0';
	buf_free(&b);
}

static bool in_list(const char *word, const char *list)
{
	size_t wl = strlen(word);
	for (const char *p = list; *p != '\0';) {
		const char *bar = strchr(p, '|');
		size_t l = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (l == wl && memcmp(p, word, l) == 0)
			return true;
		p += l + (bar != NULL);
	}
	return false;
}

/* A vocabulary word written in Vietnamese ("Hiến tặng") as its code
 * ("hien_tang"): folded, spaces as '_'. */
static const char *vocabulary(const char *cell, const char *const *codes, char *buf, size_t len)
{
	fold_words(cell, buf, len);
	for (char *p = buf; *p != '\0'; p++)
		if (*p == ' ')
			*p = '_';
	if (strcmp(buf, "bao_vat_quoc_gia") == 0)
		snprintf(buf, len, "bao_vat");
	for (size_t i = 0; codes[i] != NULL; i++)
		if (strcmp(buf, codes[i]) == 0)
			return codes[i];
	return NULL;
}

/* ---- reading cells ------------------------------------------------------------- */

/* Excel stores a date as days since 1899-12-30. */
static bool excel_date(const char *s, char out[11])
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 2958465)
		return false;
	long z = v - 25569 + 719468;   /* days since 0000-03-01 (civil-from-days) */
	long era = z / 146097, doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
	return reg_date_parse(tmp, out);
}

/* A number with an optional unit; *v in the column's unit. */
static bool measure(const char *cell, bool weight, double *v)
{
	char num[64];
	size_t n = strlen(cell);
	while (n > 0 && (isalpha((unsigned char)cell[n - 1]) || cell[n - 1] == ' '))
		n--;
	if (n == 0 || n >= sizeof num)
		return false;
	memcpy(num, cell, n);
	num[n] = '\0';
	const char *unit = cell + n;
	while (*unit == ' ')
		unit++;
	double scale;
	if (*unit == '\0')
		scale = 1;
	else if (!weight && strcasecmp(unit, "cm") == 0)
		scale = 1;
	else if (!weight && strcasecmp(unit, "mm") == 0)
		scale = 0.1;
	else if (!weight && strcasecmp(unit, "m") == 0)
		scale = 100;
	else if (weight && strcasecmp(unit, "g") == 0)
		scale = 1;
	else if (weight && strcasecmp(unit, "kg") == 0)
		scale = 1000;
	else
		return false;
	if (!reg_decimal_parse(num, v))
		return false;
	*v *= scale;
	return true;
}

static bool whole(const char *cell, int64_t *v)
{
	char *end;
	long long x = strtoll(cell, &end, 10);
	while (*end == ' ')
		end++;
	if (end == cell || *end != '\0')
		return false;
	*v = x;
	return true;
}

/* ---- one row ------------------------------------------------------------------- */

/* A key and its id in the small caches of the writing below (donors,
 * acquisitions), also for the places the rows name. */
typedef struct cached {
	char key[512];
	int64_t id;
} cached;

struct cache;
static cached *cache_slot(struct cache *c, const char *key);

typedef struct {
	char code[16];
	char folded_code[32];
	char folded_name[160];
} material;

typedef struct {
	db_t *db;
	const sheet *s;
	int col_of[NCOLUMNS];       /* sheet column of each known column, -1 */
	material *materials;
	size_t nmaterials;
	object_import_report *rep;
	arena_t *a;
	struct cache *places;       /* "Vị trí" cells looked up: id, -1 for none */
} importer;

/* What a row says, ready to write. */
typedef struct {
	object_card card;
	acquisition acq;
	const char *donor;
	int64_t location_id;
	char material[16], acquired_on[11], mode[32], kind[32], heritage_class[32];
} parsed;

static const char *cell(const importer *im, size_t row, int field)
{
	int c = im->col_of[field];
	const sheet_row *r = &im->s->rows[row];
	/* What Sen's own export marked against formulas reads back as it was
	 * stored (sheet_unmark), so a register survives its round trip. */
	return c >= 0 && (size_t)c < r->n ? sheet_unmark(r->cells[c]) : "";
}

static int field_index(const char *field)
{
	for (int i = 0; i < (int)NCOLUMNS; i++)
		if (strcmp(object_import_columns[i].field, field) == 0)
			return i;
	return -1;
}

static void problem(importer *im, size_t row, int field, enum reg_problem code)
{
	object_import_report *rep = im->rep;
	rep->total_problems++;
	if (rep->nproblems >= OBJECT_IMPORT_PROBLEMS_MAX)
		return;
	int c = field >= 0 ? im->col_of[field] : -1;
	object_import_problem *p = &rep->problems[rep->nproblems++];
	p->row = row + 1;
	p->column = c >= 0 ? (size_t)c : 0;
	p->header = c >= 0 && (size_t)c < im->s->rows[0].n ? im->s->rows[0].cells[c]
			 : field >= 0				  ? object_import_columns[field].header
								  : "";
	p->code = code;
}

static const char *find_material(const importer *im, const char *text, char *folded, size_t len)
{
	fold_words(text, folded, len);
	for (size_t i = 0; i < im->nmaterials; i++)
		if (strcmp(folded, im->materials[i].folded_code) == 0 ||
		    strcmp(folded, im->materials[i].folded_name) == 0)
			return im->materials[i].code;
	return NULL;
}

/* Reads and checks row `row`; problems go to the report. true when clean. */
static bool parse_row(importer *im, size_t row, parsed *p)
{
	memset(p, 0, sizeof *p);
	size_t before = im->rep->total_problems;
	char folded[256];
	object_card *c = &p->card;
	c->intake_no = cell(im, row, field_index("intake_no"));
	c->name = cell(im, row, field_index("name"));
	c->other_names = cell(im, row, field_index("other_names"));
	c->material_note = cell(im, row, field_index("material_note"));
	c->technique = cell(im, row, field_index("technique"));
	c->dating = cell(im, row, field_index("dating"));
	c->origin_place = cell(im, row, field_index("origin_place"));
	c->description = cell(im, row, field_index("description"));
	c->notes = cell(im, row, field_index("notes"));
	c->acquisition_id = 1;   /* stands for the acquisition made on writing */

	const char *kind = cell(im, row, field_index("kind"));
	c->kind = kind[0] == '\0' ? "hien_vat"
				  : vocabulary(kind, object_kinds, p->kind, sizeof p->kind);
	if (c->kind == NULL)
		problem(im, row, field_index("kind"), REG_BAD_CHOICE);
	const char *klass = cell(im, row, field_index("class"));
	c->heritage_class = klass[0] == '\0' ? ""
					     : vocabulary(klass, object_classes, p->heritage_class,
							  sizeof p->heritage_class);
	if (c->heritage_class == NULL)
		problem(im, row, field_index("class"), REG_BAD_CHOICE);

	const char *mat = cell(im, row, field_index("material_code"));
	const char *code = mat[0] != '\0' ? find_material(im, mat, folded, sizeof folded) : NULL;
	if (mat[0] == '\0')
		problem(im, row, field_index("material_code"), REG_REQUIRED);
	else if (code == NULL)
		problem(im, row, field_index("material_code"), REG_NOT_FOUND);
	snprintf(p->material, sizeof p->material, "%s", code != NULL ? code : "K");
	c->material_code = p->material;

	static const char *const sizes[] = {"length_cm", "width_cm", "height_cm", "diameter_cm",
					    "weight_g"};
	double *dst[] = {&c->length_cm, &c->width_cm, &c->height_cm, &c->diameter_cm,
			 &c->weight_g};
	for (int i = 0; i < 5; i++) {
		int f = field_index(sizes[i]);
		const char *v = cell(im, row, f);
		if (v[0] != '\0' && !measure(v, i == 4, dst[i]))
			problem(im, row, f, REG_BAD_NUMBER);
		else if (v[0] != '\0' && *dst[i] <= 0)
			problem(im, row, f, REG_OUT_OF_RANGE);
	}
	const char *pieces = cell(im, row, field_index("pieces"));
	if (pieces[0] != '\0' && !whole(pieces, &c->pieces))
		problem(im, row, field_index("pieces"), REG_BAD_NUMBER);
	else if (pieces[0] != '\0' && c->pieces < 1)
		problem(im, row, field_index("pieces"), REG_OUT_OF_RANGE);
	const char *value = cell(im, row, field_index("value"));
	if (value[0] != '\0' && !reg_money_parse(value, &c->value))
		problem(im, row, field_index("value"), REG_BAD_NUMBER);

	/* Everything the card checks itself, when the cells read above were fine. */
	model_problem why;
	if (im->rep->total_problems == before && object_check(c, &why) != 0)
		problem(im, row, field_index(why.field), why.code);

	const char *mode = cell(im, row, field_index("mode"));
	p->acq.mode = mode[0] == '\0' ? ""
				      : vocabulary(mode, acquisition_modes, p->mode, sizeof p->mode);
	if (mode[0] == '\0')
		problem(im, row, field_index("mode"), REG_REQUIRED);
	else if (p->acq.mode == NULL)
		problem(im, row, field_index("mode"), REG_BAD_CHOICE);
	const char *date = cell(im, row, field_index("acquired_on"));
	if (date[0] == '\0')
		problem(im, row, field_index("acquired_on"), REG_REQUIRED);
	else if (!reg_date_parse(date, p->acquired_on) && !excel_date(date, p->acquired_on))
		problem(im, row, field_index("acquired_on"), REG_BAD_DATE);
	p->acq.acquired_on = p->acquired_on;
	p->acq.handover_no = cell(im, row, field_index("handover_no"));
	p->donor = cell(im, row, field_index("donor"));
	/* The acquisition's own checks, with a stand-in for a mode already refused. */
	acquisition probe = p->acq;
	if (probe.mode == NULL || probe.mode[0] == '\0')
		probe.mode = "khac";
	if (p->acquired_on[0] != '\0' && acquisition_check(&probe, &why) != 0)
		problem(im, row, field_index(why.field), why.code);
	if (reg_check_text(&why, "donor", p->donor, DONOR_NAME_MAX, false, false) != 0)
		problem(im, row, field_index("donor"), why.code);

	const char *loc = cell(im, row, field_index("location"));
	if (loc[0] != '\0') {
		/* Most rows name one of a few places: each is looked up once. */
		cached *slot = strlen(loc) < sizeof slot->key ? cache_slot(im->places, loc) : NULL;
		int64_t id = slot != NULL ? slot->id : 0;
		if (id == 0) {
			int rc = location_find_path(im->db, loc, &id);
			if (rc < 0)
				return false;
			if (rc > 0)
				id = -1;
			if (slot != NULL)
				slot->id = id;
		}
		if (id < 0)
			problem(im, row, field_index("location"), REG_NOT_FOUND);
		else
			p->location_id = id;
	}
	return im->rep->total_problems == before;
}

static bool blank_row(const sheet_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (const char *p = r->cells[i]; *p != '\0'; p++)
			if (*p != ' ' && *p != '\t')
				return false;
	return true;
}

/* ---- the header and the materials ---------------------------------------------- */

static void read_header(importer *im)
{
	for (size_t i = 0; i < NCOLUMNS; i++)
		im->col_of[i] = -1;
	const sheet_row *h = &im->s->rows[0];
	for (size_t c = 0; c < h->n; c++) {
		char folded[256];
		fold_words(h->cells[c], folded, sizeof folded);
		if (folded[0] == '\0')
			continue;   /* an unnamed column must be empty: checked per row */
		/* What an export writes in front and an import cannot set. */
		if (in_list(folded, "so dang ky|trang thai"))
			continue;
		int found = -1;
		for (size_t i = 0; i < NCOLUMNS && found < 0; i++)
			if (in_list(folded, object_import_columns[i].aliases))
				found = (int)i;
		if (found < 0) {
			problem(im, 0, -1, REG_UNKNOWN_COLUMN);
			im->rep->problems[im->rep->nproblems - 1].column = c;
			im->rep->problems[im->rep->nproblems - 1].header = h->cells[c];
		} else if (im->col_of[found] >= 0) {
			problem(im, 0, found, REG_DUPLICATE);
			im->rep->problems[im->rep->nproblems - 1].column = c;
		} else {
			im->col_of[found] = (int)c;
		}
	}
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (object_import_columns[i].required && im->col_of[i] < 0)
			problem(im, 0, (int)i, REG_MISSING_COLUMN);
}

static int load_materials(importer *im)
{
	db_stmt *st = db_prepare(im->db, "SELECT code, name FROM materials ORDER BY position");
	if (st == NULL)
		return -1;
	int rc;
	size_t cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if ((im->materials = reg_grow(im->a, im->materials, im->nmaterials, &cap,
					      sizeof(material))) == NULL) {
			rc = DB_ERROR;
			break;
		}
		material *m = &im->materials[im->nmaterials++];
		snprintf(m->code, sizeof m->code, "%s", db_col_text(st, 0));
		fold_words(m->code, m->folded_code, sizeof m->folded_code);
		fold_words(db_col_text(st, 1), m->folded_name, sizeof m->folded_name);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* ---- writing -------------------------------------------------------------------- */

/* A small open-addressing cache (donor names, acquisitions) for one import. */
/* The page cache of the importing connection while it writes, in KiB. */
#define IMPORT_CACHE_KIB "262144"

typedef struct cache {
	cached *slots;
	size_t cap, n;
} cache;


static cached *cache_slot(cache *c, const char *key)
{
	if (c->n * 2 >= c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 256;
		cached *bigger = calloc(ncap, sizeof *bigger);
		if (bigger == NULL)
			return NULL;
		for (size_t i = 0; i < c->cap; i++) {
			if (c->slots[i].id == 0)
				continue;
			size_t j = text_hash(c->slots[i].key) & (ncap - 1);
			while (bigger[j].id != 0)
				j = (j + 1) & (ncap - 1);
			bigger[j] = c->slots[i];
		}
		free(c->slots);
		c->slots = bigger;
		c->cap = ncap;
	}
	size_t j = text_hash(key) & (c->cap - 1);
	while (c->slots[j].id != 0 && strcmp(c->slots[j].key, key) != 0)
		j = (j + 1) & (c->cap - 1);
	/* A new key takes the slot (its id is set by the caller): counted, so
	 * the table grows before it fills; a full table would probe forever. */
	if (c->slots[j].id == 0 && strcmp(c->slots[j].key, key) != 0) {
		snprintf(c->slots[j].key, sizeof c->slots[j].key, "%s", key);
		c->n++;
	}
	return &c->slots[j];
}

static int write_row(importer *im, parsed *p, cache *donors, cache *acqs, const char *who)
{
	model_problem why;
	int64_t donor_id = 0;
	if (p->donor[0] != '\0') {
		cached *d = cache_slot(donors, p->donor);
		if (d == NULL)
			return -1;
		if (d->id == 0) {
			int rc = donor_find(im->db, p->donor, &d->id);
			if (rc < 0)
				return -1;
			if (rc > 0) {
				donor nd = {.name = p->donor};
				if (donor_add(im->db, &nd, &d->id, &why) != 0)
					return -1;
				im->rep->donors++;
			}
		}
		donor_id = d->id;
	}
	char key[512];
	snprintf(key, sizeof key, "%s|%s|%lld|%s", p->acq.mode, p->acquired_on, (long long)donor_id,
		 p->acq.handover_no);
	cached *q = cache_slot(acqs, key);
	if (q == NULL)
		return -1;
	if (q->id == 0) {
		p->acq.donor_id = donor_id;
		if (acquisition_add(im->db, &p->acq, &q->id, &why) != 0)
			return -1;
		im->rep->acquisitions++;
	}
	p->card.acquisition_id = q->id;
	int64_t id;
	if (object_intake(im->db, &p->card, &id, &why) != 0)
		return -1;
	if (p->location_id > 0) {
		int64_t mid;
		movement m = {.object_id = id, .moved_on = p->acquired_on,
			      .to_location_id = p->location_id, .who = who, .reason = "nhap_kho"};
		if (movement_add(im->db, &m, &mid, &why) != 0)
			return -1;
	}
	im->rep->imported++;
	return 0;
}

int object_import(db_t *db, const sheet *s, bool dry_run, const char *who,
		  object_import_report *rep, object_import_progress progress, void *arg)
{
	memset(rep, 0, sizeof *rep);
	if (s->n == 0) {
		rep->total_problems = rep->nproblems = 1;
		rep->problems[0] = (object_import_problem){1, 0, "", REG_MISSING_COLUMN};
		return 1;
	}
	cache places = {0};
	importer im = {.db = db, .s = s, .rep = rep, .a = arena_new(16384), .places = &places};
	if (im.a == NULL || load_materials(&im) != 0) {
		arena_free(im.a);
		return -1;
	}
	read_header(&im);
	int result = 0;
	/* Intake numbers once in the file, and not already in the book. */
	cache seen = {0};
	int intake_col = field_index("intake_no");
	for (size_t row = 1; row < s->n; row++) {
		if (blank_row(&s->rows[row]))
			continue;
		rep->rows++;
		parsed p;
		parse_row(&im, row, &p);
		/* Checked on every row, clean or not, so a repeat is found either way. */
		if (p.card.intake_no[0] != '\0') {
			cached *c = cache_slot(&seen, p.card.intake_no);
			int64_t other;
			if (c == NULL) {
				result = -1;
				break;
			}
			if (c->id != 0 || object_find_number(db, p.card.intake_no, &other) == 0)
				problem(&im, row, intake_col, REG_DUPLICATE);
			c->id = (int64_t)row;
		}
		if (progress != NULL && row % 500 == 0)
			progress(0, row, s->n - 1, arg);
	}
	free(seen.slots);
	if (result == 0 && rep->total_problems > 0)
		result = 1;
	if (result != 0 || dry_run) {
		free(places.slots);
		arena_free(im.a);
		return result;
	}
	cache donors = {0}, acqs = {0};
	/* One transaction of a whole file: with the connection's usual page
	 * cache, the pages it changes spill into the WAL and every later row
	 * reads them back from there, so each row cost more than the one
	 * before (100,000 rows into a register of 200,000 ran at 405 rows/s
	 * against 790/s into an empty one). A larger cache while it lasts. */
	if (db_exec(db, "PRAGMA cache_size = -" IMPORT_CACHE_KIB) != 0 || db_begin(db) != 0) {
		db_exec(db, "PRAGMA cache_size = -" DB_CACHE_KIB);
		free(places.slots);
		arena_free(im.a);
		return -1;
	}
	/* The search index is written once for the whole file, after its
	 * rows (object_index_hold: row by row it cost two thirds of the CPU). */
	int64_t last = 0;
	if (object_index_hold(db, &last) != 0)
		result = -1;
	for (size_t row = 1; row < s->n && result == 0; row++) {
		if (blank_row(&s->rows[row]))
			continue;
		parsed p;
		if (!parse_row(&im, row, &p) || write_row(&im, &p, &donors, &acqs, who) != 0)
			result = -1;
		if (progress != NULL && row % 500 == 0)
			progress(1, row, s->n - 1, arg);
	}
	if (result == 0 && object_index_release(db, last) != 0)
		result = -1;
	if (result == 0 && db_commit(db) != 0)
		result = -1;
	if (result != 0) {
		db_rollback(db);
		rep->imported = rep->acquisitions = rep->donors = 0;
	}
	db_exec(db, "PRAGMA cache_size = -" DB_CACHE_KIB);
	free(donors.slots);
	free(acqs.slots);
	free(places.slots);
	arena_free(im.a);
	return result;
}
