/*
 * oai.c - OAI-PMH 2.0 at /oai (GET, and POST of a urlencoded form, as the
 * protocol allows): Identify, ListMetadataFormats, ListSets, GetRecord,
 * ListIdentifiers and ListRecords over the online collection, in Dublin
 * Core (oai_dc). docs/OAI.md maps the card's fields to DC elements.
 *
 * Every answer is 200 text/xml: a request the protocol refuses gets its
 * error code (badVerb, badArgument, badResumptionToken,
 * cannotDisseminateFormat, idDoesNotExist, noRecordsMatch, noSetHierarchy)
 * inside the XML, never an HTTP error. Arguments are checked before anything
 * is written: an unknown or repeated argument, a value over its cap or not
 * in the syntax the schema gives it is badArgument (badVerb for the verb),
 * and then, as the protocol says, the request element carries no attribute.
 *
 * All XML goes through core/xml.h; the records are read through
 * model/oai.h, which also signs and reads the resumption tokens.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/xml.h"
#include "model/oai.h"
#include "portal/portal.h"
#include "render/i18n.h"

#define OAI_ARG_MAX 256          /* bytes of any argument's value */
#define OAI_IDENTIFIER_MAX 200
#define OAI_PREFIX "oai_dc"
#define OAI_NS "http://www.openarchives.org/OAI/2.0/"
#define OAI_DC_NS "http://www.openarchives.org/OAI/2.0/oai_dc/"
#define OAI_DC_SCHEMA "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
#define OAI_GRANULARITY "YYYY-MM-DDThh:mm:ssZ"

enum oai_error {
	OAI_OK,
	OAI_BAD_VERB,
	OAI_BAD_ARGUMENT,
	OAI_BAD_TOKEN,
	OAI_CANNOT_DISSEMINATE,
	OAI_ID_DOES_NOT_EXIST,
	OAI_NO_RECORDS,
	OAI_NO_SET_HIERARCHY,
	OAI_INTERNAL,            /* not the protocol's: answered 500 */
};

static const struct {
	const char *code, *key;
} oai_errors[] = {
	[OAI_BAD_VERB] = {"badVerb", "oai_err_bad_verb"},
	[OAI_BAD_ARGUMENT] = {"badArgument", "oai_err_bad_argument"},
	[OAI_BAD_TOKEN] = {"badResumptionToken", "oai_err_bad_token"},
	[OAI_CANNOT_DISSEMINATE] = {"cannotDisseminateFormat", "oai_err_cannot_disseminate"},
	[OAI_ID_DOES_NOT_EXIST] = {"idDoesNotExist", "oai_err_id_does_not_exist"},
	[OAI_NO_RECORDS] = {"noRecordsMatch", "oai_err_no_records"},
	[OAI_NO_SET_HIERARCHY] = {"noSetHierarchy", "oai_err_no_set_hierarchy"},
};

/* The arguments of the protocol, in the order the request element shows them. */
enum { A_VERB, A_IDENTIFIER, A_PREFIX, A_FROM, A_UNTIL, A_SET, A_TOKEN, N_ARGS };
static const char *const arg_names[N_ARGS] = {"verb", "identifier", "metadataPrefix", "from",
					      "until", "set", "resumptionToken"};

/* Which arguments a verb takes: required, optional; a token excludes the rest. */
typedef struct {
	const char *verb;
	unsigned required, optional;
	enum oai_error (*run)(http_req *req, xml_writer *w, const char **args, int64_t now);
} oai_verb;

#define BIT(a) (1u << (a))

typedef struct {
	const char *args[N_ARGS];
	enum oai_error error;
	const char *detail;        /* the argument at fault, for the message */
} oai_request;

/* ---- small helpers ------------------------------------------------------------ */

static const char *utc_text(arena_t *a, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char out[32];
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return "1970-01-01T00:00:00Z";
	return arena_strdup(a, out);
}

/* "2026-12-07" or "2026-12-07T10:20:30Z" (UTC): 0 with *t and *day (the
 * granularity), else -1. A day as `until` means its last second. */
static int parse_datestamp(const char *s, bool until, int64_t *t, bool *day)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
	size_t len = strlen(s);
	if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 && used == 10)
		*day = true;
	else if (len == 20 && sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &sec,
				    &used) == 6 && used == 20)
		*day = false;
	else
		return -1;
	/* sscanf takes signs and blanks: the text must be digits where digits go. */
	for (size_t i = 0; i < len; i++)
		if (strchr("-T:Z", s[i]) == NULL && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			.tm_min = mi, .tm_sec = sec};
	time_t v = timegm(&tm);
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;   /* 31 April */
	*t = (int64_t)v + (*day && until ? 86399 : 0);
	return 0;
}

/* The characters the schema allows in a metadataPrefix and in each part
 * of a setSpec. */
static bool spec_chars(const char *s, size_t len)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789-_.!~*'()";
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(ok, s[i]) == NULL)
			return false;
	return true;
}

static bool valid_set_spec(const char *s)
{
	for (const char *p = s;;) {
		const char *colon = strchr(p, ':');
		size_t len = colon != NULL ? (size_t)(colon - p) : strlen(p);
		if (!spec_chars(p, len))
			return false;
		if (colon == NULL)
			return true;
		p = colon + 1;
	}
}

/* An identifier we could echo in the request element: printable ASCII
 * without the characters a URI cannot hold. */
static bool valid_identifier(const char *s)
{
	if (s[0] == '\0' || strlen(s) > OAI_IDENTIFIER_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>\"{}|\\^`", *p) != NULL)
			return false;
	return true;
}

/* The host of the base URL, without port: the repository's part of the
 * identifiers ("oai:HOST:object/ID"). */
static const char *repository_host(http_req *req)
{
	const app_t *app = req->app;
	const char *p = strstr(app->cfg.base_url, "://");
	p = p != NULL ? p + 3 : app->cfg.base_url;
	size_t len = p[0] == '[' ? strcspn(p, "]") + 1 : strcspn(p, ":/");
	return arena_strndup(req->arena, p, len);
}

static const char *record_identifier(http_req *req, int64_t id)
{
	return arena_sprintf(req->arena, "oai:%s:object/%lld", repository_host(req), (long long)id);
}

/* The object id of "oai:HOST:object/ID", or 0. */
static int64_t identifier_object(http_req *req, const char *identifier)
{
	const char *prefix = arena_sprintf(req->arena, "oai:%s:object/", repository_host(req));
	size_t plen = prefix != NULL ? strlen(prefix) : 0;
	int64_t id;
	/* One spelling per record: "object/01" names none. */
	if (prefix == NULL || strncmp(identifier, prefix, plen) != 0 || identifier[plen] == '0' ||
	    web_parse_id(identifier + plen, &id) != 0)
		return 0;
	return id;
}

static const char *base_url(http_req *req)
{
	const app_t *app = req->app;
	return arena_sprintf(req->arena, "%s/oai", app->cfg.base_url);
}

/* ---- Dublin Core ----------------------------------------------------------------- */

static const char *vi(const char *key)
{
	return i18n_text(LANG_VI, key);
}

static void dc(xml_writer *w, const char *element, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	xml_start(w, element);
	xml_attr(w, "xml:lang", "vi");
	xml_text(w, value);
	xml_end(w, element);
}

/* "Dài 12,5 cm" for a measured size, else NULL. */
static const char *measure(http_req *req, const char *key, double v, const char *unit)
{
	if (v <= 0)
		return NULL;
	char num[48];
	fmt_decimal1(num, sizeof num, v, LANG_VI);
	size_t len = strlen(num);
	if (len > 2 && strcmp(num + len - 2, ",0") == 0)
		num[len - 2] = '\0';   /* "14 cm", as the card writes it */
	return arena_sprintf(req->arena, "%s: %s %s", vi(key), num, unit);
}

static void dc_related(xml_writer *w, const oai_record *r, const char *kind, const char *element)
{
	for (size_t i = 0; i < r->nrelated; i++)
		if (strcmp(r->related[i].kind, kind) == 0)
			dc(w, element, r->related[i].name);
}

/* The card as oai_dc (docs/OAI.md has the table). */
static void write_dc(http_req *req, xml_writer *w, const oai_record *r)
{
	const app_t *app = req->app;
	const object_card *c = &r->card;
	arena_t *a = req->arena;
	xml_start(w, "oai_dc:dc");
	xml_attr(w, "xmlns:oai_dc", OAI_DC_NS);
	xml_attr(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	xml_attr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	xml_attr(w, "xsi:schemaLocation", OAI_DC_NS " " OAI_DC_SCHEMA);
	dc(w, "dc:title", c->name);
	dc(w, "dc:title", c->other_names);
	dc_related(w, r, "person", "dc:creator");
	dc_related(w, r, "unit", "dc:creator");
	if (c->heritage_class[0] != '\0')
		dc(w, "dc:subject", vi(arena_sprintf(a, "admin_reg_class_%s", c->heritage_class)));
	dc_related(w, r, "event", "dc:subject");
	dc(w, "dc:description", c->description);
	dc(w, "dc:publisher", app->cfg.site_name);
	dc(w, "dc:date", c->dating);
	xml_element(w, "dc:type", strcmp(c->kind, "tai_lieu") == 0 ? "Text" : "PhysicalObject");
	dc(w, "dc:type", vi(arena_sprintf(a, "admin_reg_kind_%s", c->kind)));
	dc(w, "dc:format", c->material_note[0] != '\0'
			       ? arena_sprintf(a, "%s (%s)", r->material_name, c->material_note)
			       : r->material_name);
	dc(w, "dc:format", c->technique);
	dc(w, "dc:format", measure(req, "admin_print_field_length", c->length_cm, "cm"));
	dc(w, "dc:format", measure(req, "admin_print_field_width", c->width_cm, "cm"));
	dc(w, "dc:format", measure(req, "admin_print_field_height", c->height_cm, "cm"));
	dc(w, "dc:format", measure(req, "admin_print_field_diameter", c->diameter_cm, "cm"));
	dc(w, "dc:format", measure(req, "admin_print_field_weight", c->weight_g, "g"));
	if (c->pieces > 1)
		dc(w, "dc:format", arena_sprintf(a, "%s: %lld", vi("admin_reg_field_pieces"),
						 (long long)c->pieces));
	xml_element(w, "dc:identifier",
		    arena_sprintf(a, "%s/hien-vat/%lld", app->cfg.base_url, (long long)c->id));
	dc(w, "dc:identifier", c->reg_number);
	dc(w, "dc:source", arena_sprintf(a, "%s, %s %s", app->cfg.site_name,
					 vi("oai_dc_reg_number"), c->reg_number));
	xml_element(w, "dc:language", "vi");
	dc(w, "dc:coverage", c->origin_place);
	dc_related(w, r, "place", "dc:coverage");
	dc(w, "dc:rights", app->cfg.oai_rights[0] != '\0'
			       ? app->cfg.oai_rights
			       : arena_sprintf(a, "%s %s", vi("oai_dc_rights"), app->cfg.site_name));
	xml_end(w, "oai_dc:dc");
}

static void write_header(http_req *req, xml_writer *w, const oai_record *r)
{
	const app_t *app = req->app;
	xml_start(w, "header");
	if (r->deleted)
		xml_attr(w, "status", "deleted");
	xml_element(w, "identifier", record_identifier(req, r->id));
	xml_element(w, "datestamp", utc_text(req->arena, r->datestamp));
	if (app->cfg.oai_sets) {
		if (r->heritage_class[0] != '\0')
			xml_element(w, "setSpec",
				    arena_sprintf(req->arena, "class:%s", r->heritage_class));
		for (size_t i = 0; i < r->nexhibitions; i++)
			xml_element(w, "setSpec", arena_sprintf(req->arena, "exhibition:%lld",
								(long long)r->exhibitions[i]));
	}
	xml_end(w, "header");
}

static void write_record(http_req *req, xml_writer *w, const oai_record *r)
{
	xml_start(w, "record");
	write_header(req, w, r);
	if (r->has_card) {
		xml_start(w, "metadata");
		write_dc(req, w, r);
		xml_end(w, "metadata");
	}
	xml_end(w, "record");
}

/* ---- the verbs --------------------------------------------------------------------- */

static enum oai_error verb_identify(http_req *req, xml_writer *w, const char **args, int64_t now)
{
	(void)args;
	const app_t *app = req->app;
	db_t *db = db_get();
	int64_t earliest;
	if (db == NULL || oai_earliest(db, now, &earliest) != 0)
		return OAI_INTERNAL;
	const char *email = app->cfg.admin_email;
	if (email[0] == '\0')
		email = arena_sprintf(req->arena, "webmaster@%s", repository_host(req));
	xml_start(w, "Identify");
	xml_element(w, "repositoryName", app->cfg.site_name);
	xml_element(w, "baseURL", base_url(req));
	xml_element(w, "protocolVersion", "2.0");
	xml_element(w, "adminEmail", email);
	xml_element(w, "earliestDatestamp", utc_text(req->arena, earliest));
	xml_element(w, "deletedRecord", "persistent");
	xml_element(w, "granularity", OAI_GRANULARITY);
	xml_end(w, "Identify");
	return OAI_OK;
}

/* 0 with *out, or the error for an identifier that names no record. */
static enum oai_error find_record(http_req *req, const char *identifier, oai_record *out)
{
	db_t *db = db_get();
	if (db == NULL)
		return OAI_INTERNAL;
	int64_t id = identifier_object(req, identifier);
	if (id == 0)
		return OAI_ID_DOES_NOT_EXIST;
	int rc = oai_get(db, req->arena, id, out);
	return rc == 0 ? OAI_OK : rc == 1 ? OAI_ID_DOES_NOT_EXIST : OAI_INTERNAL;
}

static enum oai_error verb_formats(http_req *req, xml_writer *w, const char **args, int64_t now)
{
	(void)now;
	oai_record r;
	enum oai_error e = args[A_IDENTIFIER] != NULL ? find_record(req, args[A_IDENTIFIER], &r)
						      : OAI_OK;
	if (e != OAI_OK)
		return e;
	xml_start(w, "ListMetadataFormats");
	xml_start(w, "metadataFormat");
	xml_element(w, "metadataPrefix", OAI_PREFIX);
	xml_element(w, "schema", OAI_DC_SCHEMA);
	xml_element(w, "metadataNamespace", OAI_DC_NS);
	xml_end(w, "metadataFormat");
	xml_end(w, "ListMetadataFormats");
	return OAI_OK;
}

static enum oai_error verb_sets(http_req *req, xml_writer *w, const char **args, int64_t now)
{
	(void)now;
	const app_t *app = req->app;
	if (!app->cfg.oai_sets)
		return OAI_NO_SET_HIERARCHY;
	/* The sets fit on one page: no token was ever given for them. */
	if (args[A_TOKEN] != NULL)
		return OAI_BAD_TOKEN;
	db_t *db = db_get();
	oai_set *sets;
	size_t n;
	if (db == NULL || oai_set_list(db, req->arena, &sets, &n) != 0)
		return OAI_INTERNAL;
	xml_start(w, "ListSets");
	for (size_t i = 0; i < n; i++) {
		xml_start(w, "set");
		xml_element(w, "setSpec", sets[i].spec);
		xml_element(w, "setName",
			    sets[i].class_code != NULL
				? vi(arena_sprintf(req->arena, "admin_reg_class_%s", sets[i].class_code))
				: sets[i].title);
		xml_end(w, "set");
	}
	xml_end(w, "ListSets");
	return OAI_OK;
}

static enum oai_error verb_get(http_req *req, xml_writer *w, const char **args, int64_t now)
{
	(void)now;
	if (strcmp(args[A_PREFIX], OAI_PREFIX) != 0)
		return OAI_CANNOT_DISSEMINATE;
	oai_record r;
	enum oai_error e = find_record(req, args[A_IDENTIFIER], &r);
	if (e != OAI_OK)
		return e;
	xml_start(w, "GetRecord");
	write_record(req, w, &r);
	xml_end(w, "GetRecord");
	return OAI_OK;
}

/* The position a list starts from, out of its arguments. */
static enum oai_error list_start(http_req *req, const char **args, int64_t now, oai_position *pos)
{
	const app_t *app = req->app;
	memset(pos, 0, sizeof *pos);
	if (strcmp(args[A_PREFIX], OAI_PREFIX) != 0)
		return OAI_CANNOT_DISSEMINATE;
	bool from_day = false, until_day = false;
	pos->from = 0;
	pos->until = INT64_MAX;
	if ((args[A_FROM] != NULL && parse_datestamp(args[A_FROM], false, &pos->from, &from_day) != 0) ||
	    (args[A_UNTIL] != NULL && parse_datestamp(args[A_UNTIL], true, &pos->until, &until_day) != 0))
		return OAI_BAD_ARGUMENT;
	if (args[A_FROM] != NULL && args[A_UNTIL] != NULL &&
	    (from_day != until_day || pos->from > pos->until))
		return OAI_BAD_ARGUMENT;
	if (args[A_SET] != NULL) {
		if (!app->cfg.oai_sets)
			return OAI_NO_SET_HIERARCHY;
		snprintf(pos->set, sizeof pos->set, "%s", args[A_SET]);
	}
	/* The harvest ends before the current second: whatever changes from
	 * now on belongs to the next harvest, which starts at responseDate. */
	if (pos->until > now - 1)
		pos->until = now - 1;
	pos->after_datestamp = -1;
	pos->expires = now + app->cfg.oai_token_ttl;
	return OAI_OK;
}

static enum oai_error verb_list(http_req *req, xml_writer *w, const char **args, int64_t now,
				bool records)
{
	const app_t *app = req->app;
	db_t *db = db_get();
	unsigned char key[OAI_KEY_BYTES];
	if (db == NULL || oai_key(db, key) != 0)
		return OAI_INTERNAL;
	oai_position pos;
	if (args[A_TOKEN] != NULL) {
		if (oai_token_decode(key, args[A_TOKEN], now, &pos) != 0 || pos.records != records)
			return OAI_BAD_TOKEN;
	} else {
		enum oai_error e = list_start(req, args, now, &pos);
		if (e != OAI_OK)
			return e;
		pos.records = records;
	}
	oai_record *items;
	size_t n;
	int64_t remaining;
	if (oai_list(db, req->arena, &pos, app->cfg.oai_page_size, records, &items, &n,
		     &remaining) != 0)
		return OAI_INTERNAL;
	if (n == 0)
		return OAI_NO_RECORDS;
	const char *element = records ? "ListRecords" : "ListIdentifiers";
	xml_start(w, element);
	for (size_t i = 0; i < n; i++) {
		if (records)
			write_record(req, w, &items[i]);
		else
			write_header(req, w, &items[i]);
	}
	/* A list on one page has no token; the last page of a longer one an
	 * empty token, which tells the harvester it is complete. */
	if (remaining > 0 || pos.cursor > 0) {
		int64_t cursor = pos.cursor;
		char token[OAI_TOKEN_TEXT_MAX] = "";
		if (remaining > 0) {
			pos.after_datestamp = items[n - 1].datestamp;
			pos.after_id = items[n - 1].id;
			pos.cursor = cursor + (int64_t)n;
			pos.expires = now + app->cfg.oai_token_ttl;
			pos.total = cursor + (int64_t)n + remaining;
			pos.checked = now;
			if (oai_token_encode(key, &pos, token) != 0)
				return OAI_INTERNAL;
		}
		xml_start(w, "resumptionToken");
		if (remaining > 0)
			xml_attr(w, "expirationDate", utc_text(req->arena, pos.expires));
		xml_attr(w, "completeListSize",
			 arena_sprintf(req->arena, "%lld", (long long)(cursor + (int64_t)n + remaining)));
		xml_attr(w, "cursor", arena_sprintf(req->arena, "%lld", (long long)cursor));
		xml_text(w, token);
		xml_end(w, "resumptionToken");
	}
	xml_end(w, element);
	return OAI_OK;
}

static enum oai_error verb_identifiers(http_req *req, xml_writer *w, const char **args, int64_t now)
{
	return verb_list(req, w, args, now, false);
}

static enum oai_error verb_records(http_req *req, xml_writer *w, const char **args, int64_t now)
{
	return verb_list(req, w, args, now, true);
}

static const oai_verb verbs[] = {
	{"Identify", 0, 0, verb_identify},
	{"ListMetadataFormats", 0, BIT(A_IDENTIFIER), verb_formats},
	{"ListSets", 0, BIT(A_TOKEN), verb_sets},
	{"GetRecord", BIT(A_IDENTIFIER) | BIT(A_PREFIX), 0, verb_get},
	{"ListIdentifiers", BIT(A_PREFIX), BIT(A_FROM) | BIT(A_UNTIL) | BIT(A_SET) | BIT(A_TOKEN),
	 verb_identifiers},
	{"ListRecords", BIT(A_PREFIX), BIT(A_FROM) | BIT(A_UNTIL) | BIT(A_SET) | BIT(A_TOKEN),
	 verb_records},
};

/* ---- the request ------------------------------------------------------------------- */

/* Fills q->args from the fields; the first problem is kept in q->error. */
static void read_args(const http_kv *fields, size_t n, oai_request *q)
{
	for (size_t i = 0; i < n; i++) {
		size_t a = 0;
		while (a < N_ARGS && strcmp(fields[i].name, arg_names[a]) != 0)
			a++;
		enum oai_error e = OAI_OK;
		if (a == N_ARGS)
			e = OAI_BAD_ARGUMENT;   /* not an argument of the protocol */
		else if (q->args[a] != NULL)
			e = a == A_VERB ? OAI_BAD_VERB : OAI_BAD_ARGUMENT;   /* repeated */
		else if (fields[i].value_len > OAI_ARG_MAX || strlen(fields[i].value) != fields[i].value_len)
			e = a == A_VERB ? OAI_BAD_VERB : a == A_TOKEN ? OAI_BAD_TOKEN : OAI_BAD_ARGUMENT;
		else
			q->args[a] = fields[i].value;
		if (e != OAI_OK && (q->error == OAI_OK || e == OAI_BAD_VERB)) {
			q->error = e;
			q->detail = fields[i].name;
		}
	}
}

/* The verb's row after every argument was checked, or NULL with q->error. */
static const oai_verb *check(oai_request *q)
{
	const oai_verb *v = NULL;
	for (size_t i = 0; q->args[A_VERB] != NULL && i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(q->args[A_VERB], verbs[i].verb) == 0)
			v = &verbs[i];
	if (v == NULL || q->error == OAI_BAD_VERB) {
		q->error = OAI_BAD_VERB;
		q->detail = "verb";
		return NULL;
	}
	if (q->error != OAI_OK)
		return NULL;
	unsigned given = 0;
	for (size_t a = 1; a < N_ARGS; a++)
		if (q->args[a] != NULL)
			given |= BIT(a);
	/* The token is exclusive: with it, no other argument. */
	unsigned allowed = (given & BIT(A_TOKEN)) ? BIT(A_TOKEN) : v->required | v->optional;
	unsigned needed = (given & BIT(A_TOKEN)) ? 0 : v->required;
	for (size_t a = 1; a < N_ARGS; a++)
		if (((given & ~allowed) | (needed & ~given)) & BIT(a)) {
			q->error = OAI_BAD_ARGUMENT;
			q->detail = arg_names[a];
			return NULL;
		}
	/* Values the request element could not echo are not in the protocol's syntax. */
	const char *p = q->args[A_PREFIX], *s = q->args[A_SET], *id = q->args[A_IDENTIFIER];
	int64_t t;
	bool day;
	size_t bad = (p != NULL && !spec_chars(p, strlen(p))) ? A_PREFIX
		     : (s != NULL && !valid_set_spec(s))      ? A_SET
		     : (id != NULL && !valid_identifier(id))  ? A_IDENTIFIER
		     : (q->args[A_FROM] != NULL && parse_datestamp(q->args[A_FROM], false, &t, &day) != 0)
			 ? A_FROM
		     : (q->args[A_UNTIL] != NULL && parse_datestamp(q->args[A_UNTIL], true, &t, &day) != 0)
			 ? A_UNTIL
			 : 0;
	if (bad != 0) {
		q->error = OAI_BAD_ARGUMENT;
		q->detail = arg_names[bad];
		return NULL;
	}
	return v;
}

static void write_request(http_req *req, xml_writer *w, const oai_request *q)
{
	xml_start(w, "request");
	/* After badVerb or badArgument the protocol wants the base URL alone. */
	if (q->error != OAI_BAD_VERB && q->error != OAI_BAD_ARGUMENT)
		for (size_t a = 0; a < N_ARGS; a++)
			if (q->args[a] != NULL)
				xml_attr(w, arg_names[a], q->args[a]);
	xml_text(w, base_url(req));
	xml_end(w, "request");
}

/* The answer's opening, up to and with the request element. */
static void write_head(http_req *req, xml_writer *w, const oai_request *q, int64_t now)
{
	xml_declaration(w);
	xml_start(w, "OAI-PMH");
	xml_attr(w, "xmlns", OAI_NS);
	xml_attr(w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	xml_attr(w, "xsi:schemaLocation", OAI_NS " http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd");
	xml_text(w, "\n");
	xml_element(w, "responseDate", utc_text(req->arena, now));
	write_request(req, w, q);
}

/* Pages of ListRecords are large (a hundred cards): the verb writes them
 * straight into the response, after the opening; on a protocol error the
 * answer is written anew (the request element may change with the error). */
#define OAI_BODY_RESERVE (256 * 1024)

int portal_oai(http_req *req, http_res *res)
{
	int64_t now = (int64_t)time(NULL);
	oai_request q;
	memset(&q, 0, sizeof q);
	read_args(req->query, req->nquery, &q);
	if (req->method == HTTP_POST)
		read_args(req->form, req->nform, &q);
	const oai_verb *v = check(&q);
	buf_t *body = &res->body;
	size_t start = body->len;
	xml_writer w;
	if (v != NULL) {
		buf_reserve(body, OAI_BODY_RESERVE);
		xml_writer_init(&w, body);
		write_head(req, &w, &q, now);
		q.error = v->run(req, &w, q.args, now);
		if (q.error == OAI_INTERNAL || body->failed)
			return 500;
		if (q.error != OAI_OK)
			body->len = start;
	}
	if (v == NULL || q.error != OAI_OK) {
		xml_writer_init(&w, body);
		write_head(req, &w, &q, now);
		xml_start(&w, "error");
		xml_attr(&w, "code", oai_errors[q.error].code);
		const char *msg = web_text(req, oai_errors[q.error].key);
		xml_text(&w, q.detail != NULL ? arena_sprintf(req->arena, "%s (%s)", msg, q.detail) : msg);
		xml_end(&w, "error");
	}
	xml_end(&w, "OAI-PMH");
	buf_putc(body, '\n');
	if (body->failed)
		return 500;
	res->content_type = "text/xml; charset=utf-8";
	http_res_header(res, "Cache-Control", "no-store");
	return 200;
}
