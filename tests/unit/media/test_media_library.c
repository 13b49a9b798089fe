/*
 * test_media_library.c - the media library: upload checks (polyglots, SVG,
 * HTML named .jpg, truncated files, the pixel cap, GIF), variants made with
 * libvips (sizes, WebP, never enlarged, metadata gone), the job queue and
 * its resumption by the worker, usage before delete, listing and search,
 * and what the public pages get (srcset, what may be served).
 * Over a real, migrated SQLite database in a temporary folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gd.h>
#include <time.h>
#include <vips/vips.h>

#include "../db/db_test_util.h"
#include "../testdb.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/media.h"
#include "model/media_image.h"

typedef struct {
	TESTDB_FIXTURE;
	char media[128];
} fixture;

static int setup(void **state)
{
	fixture *f = testdb_fixture_new(sizeof *f, true);
	*state = f;
	if (f == NULL)
		return -1;
	snprintf(f->media, sizeof f->media, "%s/media", f->dir);
	if (mkdir(f->media, 0700) != 0)
		return -1;
	if (db_exec(f->db, "INSERT INTO categories (id, slug, name) VALUES "
					   "(1, 'tin-tuc', 'Tin tức')") != 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ helpers */

static int write_bytes(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (fp == NULL)
		return -1;
	int rc = fwrite(p, 1, n, fp) == n ? 0 : -1;
	return fclose(fp) == 0 ? rc : -1;
}

static unsigned char *read_all(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	unsigned char *p = malloc((size_t)len + 1);
	if (p != NULL && fread(p, 1, (size_t)len, fp) != (size_t)len) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	*n = (size_t)len;
	return p;
}

static bool contains(const unsigned char *p, size_t n, const char *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

/* A picture in memory (libgd): "png", "jpg", "gif" or "webp". gdFree(). */
static void *picture(const char *format, int w, int h, int *size)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	assert_non_null(im);
	gdImageFilledRectangle(im, 0, 0, w / 2, h / 2, gdTrueColor(200, 30, 30));
	gdImageFilledRectangle(im, w / 2, h / 2, w - 1, h - 1, gdTrueColor(30, 90, 200));
	void *data = NULL;
	if (strcmp(format, "png") == 0)
		data = gdImagePngPtr(im, size);
	else if (strcmp(format, "jpg") == 0)
		data = gdImageJpegPtr(im, size, 85);
	else if (strcmp(format, "gif") == 0)
		data = gdImageGifPtr(im, size);
	else
		data = gdImageWebpPtr(im, size);
	gdImageDestroy(im);
	assert_non_null(data);
	return data;
}

static void make_picture(const char *path, const char *format, int w, int h)
{
	int size = 0;
	void *data = picture(format, w, h, &size);
	assert_int_equal(write_bytes(path, data, (size_t)size), 0);
	gdFree(data);
}

/*
 * A JPEG carrying an EXIF block (a GPS position and a description holding
 * "SECRETGPS") and an XMP block ("SECRETXMP") right after its start marker,
 * as cameras and phones write them.
 */
static void make_jpeg_with_metadata(const char *path, int w, int h)
{
	int size = 0;
	unsigned char *jpg = picture("jpg", w, h, &size);
	/* TIFF, little endian: IFD0 with ImageDescription and a GPS pointer;
	 * the GPS IFD with GPSLatitudeRef "N". */
	static const unsigned char tiff[] = {
		'I', 'I', 42, 0, 8, 0, 0, 0,
		/* IFD0 at 8: 2 entries */
		2, 0,
		0x0E, 0x01, 2, 0, 10, 0, 0, 0, 38, 0, 0, 0, /* ImageDescription, ASCII, 10 @38 */
		0x25, 0x88, 4, 0, 1, 0, 0, 0, 48, 0, 0, 0,  /* GPSInfo IFD @48 */
		0, 0, 0, 0,                                 /* next IFD */
		'S', 'E', 'C', 'R', 'E', 'T', 'G', 'P', 'S', 0, /* @38 */
		/* GPS IFD at 48: 1 entry */
		1, 0,
		0x01, 0x00, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0, /* GPSLatitudeRef "N" */
		0, 0, 0, 0,
	};
	static const char xmp[] = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
				  "SECRETXMP</x:xmpmeta>";
	size_t exif_len = 2 + 6 + sizeof tiff, xmp_len = 2 + sizeof xmp - 1;
	size_t total = (size_t)size + 2 + exif_len + 2 + xmp_len;
	unsigned char *out = malloc(total), *p = out;
	assert_non_null(out);
	memcpy(p, jpg, 2); /* SOI */
	p += 2;
	*p++ = 0xFF;
	*p++ = 0xE1;
	*p++ = (unsigned char)(exif_len >> 8);
	*p++ = (unsigned char)exif_len;
	memcpy(p, "Exif\0\0", 6);
	p += 6;
	memcpy(p, tiff, sizeof tiff);
	p += sizeof tiff;
	*p++ = 0xFF;
	*p++ = 0xE1;
	*p++ = (unsigned char)(xmp_len >> 8);
	*p++ = (unsigned char)xmp_len;
	memcpy(p, xmp, sizeof xmp - 1);
	p += sizeof xmp - 1;
	memcpy(p, jpg + 2, (size_t)size - 2);
	p += size - 2;
	assert_int_equal((size_t)(p - out), total);
	assert_int_equal(write_bytes(path, out, total), 0);
	free(out);
	gdFree(jpg);
}

static int64_t upload(fixture *f, const char *src, const char *name, char *file)
{
	char why[256] = "";
	int64_t id = 0;
	media_info info;
	if (media_store_upload(f->db, f->media, src, name, "Mô tả", "Ảnh: Bảo tàng", &id, file,
			       MEDIA_FILE_MAX, &info, why, sizeof why) != 0)
		fail_msg("upload %s: %s", name, why);
	return id;
}

static bool exists(fixture *f, const char *file)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", f->media, file);
	struct stat st;
	return stat(path, &st) == 0;
}

/* ------------------------------------------------------------- checks */

static void expect_refused(const char *path, const char *why_part)
{
	char why[256] = "";
	media_info info;
	assert_int_equal(media_check_upload(path, &info, why, sizeof why), -1);
	if (strstr(why, why_part) == NULL)
		fail_msg("%s: expected \"%s\" in \"%s\"", path, why_part, why);
}

static void test_upload_refusals(void **state)
{
	fixture *f = *state;
	char path[256];
	int size = 0;
	unsigned char *jpg = picture("jpg", 64, 48, &size);

	/* A good one passes. */
	snprintf(path, sizeof path, "%s/tot.jpg", f->dir);
	assert_int_equal(write_bytes(path, jpg, (size_t)size), 0);
	char why[256] = "";
	media_info info;
	assert_int_equal(media_check_upload(path, &info, why, sizeof why), 0);
	assert_string_equal(info.mime, "image/jpeg");

	/* Polyglot: a JPEG with a web page after its end. */
	static const char html[] = "<html><script>alert(1)</script></html>";
	unsigned char *poly = malloc((size_t)size + sizeof html);
	memcpy(poly, jpg, (size_t)size);
	memcpy(poly + size, html, sizeof html);
	snprintf(path, sizeof path, "%s/poly.jpg", f->dir);
	assert_int_equal(write_bytes(path, poly, (size_t)size + sizeof html), 0);
	expect_refused(path, "dữ liệu lạ");
	/* ... and one hiding it in a comment segment. */
	static const char com[] = "<script>alert(1)</script>";
	size_t clen = 2 + sizeof com - 1;
	memcpy(poly, jpg, 2);
	poly[2] = 0xFF;
	poly[3] = 0xFE;
	poly[4] = (unsigned char)(clen >> 8);
	poly[5] = (unsigned char)clen;
	memcpy(poly + 6, com, sizeof com - 1);
	memcpy(poly + 6 + sizeof com - 1, jpg + 2, (size_t)size - 2);
	assert_int_equal(write_bytes(path, poly, (size_t)size + 4 + sizeof com - 1), 0);
	expect_refused(path, "mã HTML");
	free(poly);

	/* Truncated: half a JPEG. */
	snprintf(path, sizeof path, "%s/cut.jpg", f->dir);
	assert_int_equal(write_bytes(path, jpg, (size_t)size / 2), 0);
	expect_refused(path, "cắt cụt");
	gdFree(jpg);

	/* SVG, and HTML named .jpg. */
	snprintf(path, sizeof path, "%s/anh.svg", f->dir);
	assert_int_equal(write_file(f->dir, "anh.svg",
				    "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"
				    "<script>alert(1)</script></svg>"), 0);
	expect_refused(path, "không phải là ảnh");
	snprintf(path, sizeof path, "%s/trang.jpg", f->dir);
	assert_int_equal(write_file(f->dir, "trang.jpg",
				    "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), 0);
	expect_refused(path, "không phải là ảnh");

	/* Over the pixel cap: a PNG whose header says 10000 x 10000. */
	unsigned char png[64] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
				 'I', 'H', 'D', 'R', 0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10,
				 8, 2, 0, 0, 0};
	snprintf(path, sizeof path, "%s/lon.png", f->dir);
	assert_int_equal(write_bytes(path, png, sizeof png), 0);
	expect_refused(path, "quá lớn");

	/* PNG with bytes after IEND. */
	unsigned char *p = picture("png", 40, 30, &size);
	unsigned char *q = malloc((size_t)size + 4);
	memcpy(q, p, (size_t)size);
	memcpy(q + size, "PK\3\4", 4);
	snprintf(path, sizeof path, "%s/zip.png", f->dir);
	assert_int_equal(write_bytes(path, q, (size_t)size + 4), 0);
	expect_refused(path, "dữ liệu lạ");
	free(q);
	gdFree(p);

	/* GIF: the importer keeps them, uploads refuse them. */
	snprintf(path, sizeof path, "%s/dong.gif", f->dir);
	make_picture(path, "gif", 40, 30);
	assert_int_equal(media_check_file(path, &info, why, sizeof why), 0);
	expect_refused(path, "GIF");

	/* PNG and WebP made by libgd pass. */
	snprintf(path, sizeof path, "%s/tot.png", f->dir);
	make_picture(path, "png", 40, 30);
	assert_int_equal(media_check_upload(path, &info, why, sizeof why), 0);
	snprintf(path, sizeof path, "%s/tot.webp", f->dir);
	make_picture(path, "webp", 40, 30);
	if (media_check_upload(path, &info, why, sizeof why) != 0)
		fail_msg("webp: %s", why);

	/* Nothing was stored by any of this. */
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media"), 0);
}

/* ----------------------------------------------------------- variants */

static void test_variants_stripped(void **state)
{
	fixture *f = *state;
	char src[256], file[MEDIA_FILE_MAX];
	snprintf(src, sizeof src, "%s/may-anh.jpg", f->dir);
	make_jpeg_with_metadata(src, 2000, 1500);
	size_t n0 = 0;
	unsigned char *raw = read_all(src, &n0);
	assert_true(contains(raw, n0, "SECRETGPS", 9));
	assert_true(contains(raw, n0, "SECRETXMP", 9));
	free(raw);

	int64_t id = upload(f, src, "máy ảnh.jpg", file);
	/* Waiting: not served, listed as processing. */
	assert_int_equal(media_servable(f->db, file), 1);
	media_item it;
	assert_int_equal(media_get_item(f->db, f->arena, id, &it), 0);
	assert_int_equal(it.state, MEDIA_PROCESSING);
	assert_string_equal(it.m.credit, "Ảnh: Bảo tàng");

	assert_int_equal(media_image_process(f->db, f->media, id), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media_jobs"), 0);

	media_variant *v = NULL;
	size_t n = 0;
	assert_int_equal(media_variants(f->db, f->arena, id, &v, &n), 0);
	assert_int_equal(n, 6);
	static const int widths[] = {320, 800, 1600};
	for (size_t i = 0; i < n; i++) {
		/* Ordered by format then width: jpg 320 800 1600, webp 320 800 1600. */
		assert_string_equal(v[i].format, i < 3 ? "jpg" : "webp");
		assert_int_equal(v[i].width, widths[i % 3]);
		assert_int_equal(v[i].height, widths[i % 3] * 3 / 4);
		char want[MEDIA_FILE_MAX + 16];
		snprintf(want, sizeof want, "%.32s-%d.%s", file, widths[i % 3], v[i].format);
		assert_string_equal(v[i].file, want);
		assert_true(media_file_name_valid(v[i].file));
		assert_int_equal(media_servable(f->db, v[i].file), 0);

		char path[256];
		snprintf(path, sizeof path, "%s/%s", f->media, v[i].file);
		size_t len = 0;
		unsigned char *d = read_all(path, &len);
		assert_non_null(d);
		assert_int_equal((int64_t)len, v[i].bytes);
		if (i < 3)
			assert_true(d[0] == 0xFF && d[1] == 0xD8);
		else
			assert_true(memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0);
		assert_false(contains(d, len, "SECRETGPS", 9));
		assert_false(contains(d, len, "SECRETXMP", 9));
		if (contains(d, len, "Exif\0\0", 6)) {
			char chunks[256] = "";
			for (size_t k = 12; i >= 3 && k + 8 <= len && strlen(chunks) < 200;) {
				uint32_t cl = d[k + 4] | d[k + 5] << 8 | d[k + 6] << 16 | (uint32_t)d[k + 7] << 24;
				snprintf(chunks + strlen(chunks), 20, "%.4s:%u ", (const char *)d + k, cl);
				k += 8 + cl + (cl & 1);
			}
			fail_msg("%s has an EXIF block (%s)", v[i].file, chunks);
		}
		free(d);
	}
	/* The original itself was re-saved without its metadata. */
	char path[256];
	snprintf(path, sizeof path, "%s/%s", f->media, file);
	size_t len = 0;
	unsigned char *d = read_all(path, &len);
	assert_non_null(d);
	assert_false(contains(d, len, "SECRETGPS", 9));
	assert_false(contains(d, len, "SECRETXMP", 9));
	assert_false(contains(d, len, "Exif\0\0", 6));
	free(d);
	assert_int_equal(media_servable(f->db, file), 0);
	assert_int_equal(media_get_item(f->db, f->arena, id, &it), 0);
	assert_int_equal(it.state, MEDIA_READY);
	assert_int_equal(it.m.width, 2000);
	assert_int_equal(it.m.bytes, (int64_t)len);
	assert_string_equal(it.thumb, v[0].file);

	/* What a public page gets. */
	media_responsive r;
	assert_int_equal(media_responsive_for(f->db, f->arena, file, &r), 0);
	char want[512];
	snprintf(want, sizeof want, "/media/%s", v[1].file);
	assert_string_equal(r.src, want);
	assert_int_equal(r.width, 800);
	snprintf(want, sizeof want, "/media/%s 320w, /media/%s 800w, /media/%s 1600w", v[0].file,
		 v[1].file, v[2].file);
	assert_string_equal(r.srcset, want);
	snprintf(want, sizeof want, "/media/%s 320w, /media/%s 800w, /media/%s 1600w", v[3].file,
		 v[4].file, v[5].file);
	assert_string_equal(r.webp_srcset, want);
	/* Other names are not served. */
	assert_int_equal(media_servable(f->db, "khong-co.jpg"), 1);
	assert_int_equal(media_servable(f->db, "../sen.db"), 1);
	char svg[64];
	snprintf(svg, sizeof svg, "%.32s.svg", file);
	assert_int_equal(media_servable(f->db, svg), 1);
}

static void test_variants_never_enlarged(void **state)
{
	fixture *f = *state;
	char src[256], file[MEDIA_FILE_MAX];
	snprintf(src, sizeof src, "%s/nho.png", f->dir);
	make_picture(src, "png", 200, 100);
	int64_t id = upload(f, src, "nhỏ.png", file);
	assert_int_equal(media_image_process(f->db, f->media, id), 0);
	media_variant *v = NULL;
	size_t n = 0;
	assert_int_equal(media_variants(f->db, f->arena, id, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].format, "png");
	assert_string_equal(v[1].format, "webp");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].width, 200);
		assert_int_equal(v[i].height, 100);
	}
	/* A 1000-pixel WebP gets 320, 800 and 1000, in WebP only. */
	snprintf(src, sizeof src, "%s/vua.webp", f->dir);
	make_picture(src, "webp", 1000, 500);
	id = upload(f, src, "vừa.webp", file);
	assert_int_equal(media_image_process(f->db, f->media, id), 0);
	assert_int_equal(media_variants(f->db, f->arena, id, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].width, 320);
	assert_int_equal(v[1].width, 800);
	assert_int_equal(v[2].width, 1000);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i].format, "webp");
	media_responsive r;
	assert_int_equal(media_responsive_for(f->db, f->arena, file, &r), 0);
	assert_string_equal(r.webp_srcset, "");
	assert_non_null(strstr(r.srcset, "-1000.webp 1000w"));
}

/* A picture stored before variants existed (the importer) keeps working. */
static void test_legacy_falls_back(void **state)
{
	fixture *f = *state;
	char src[256], file[MEDIA_FILE_MAX], why[256];
	snprintf(src, sizeof src, "%s/cu.png", f->dir);
	make_picture(src, "png", 120, 80);
	int64_t id = 0;
	assert_int_equal(media_store_file(f->db, f->media, src, "cũ.png", "x", &id, file,
					  sizeof file, why, sizeof why), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media_jobs"), 0);
	assert_int_equal(media_servable(f->db, file), 0);
	media_responsive r;
	assert_int_equal(media_responsive_for(f->db, f->arena, file, &r), 0);
	char want[128];
	snprintf(want, sizeof want, "/media/%s", file);
	assert_string_equal(r.src, want);
	assert_string_equal(r.srcset, "");
	assert_string_equal(r.webp_srcset, "");
	assert_int_equal(r.width, 120);
	assert_int_equal(media_image_process(f->db, f->media, id), 1);
	assert_int_equal(media_responsive_for(f->db, f->arena, "khong-co.png", &r), 1);
}

/* ---------------------------------------------------------- the queue */

static void test_queue_resumes_and_gives_up(void **state)
{
	fixture *f = *state;
	char src[256], file1[MEDIA_FILE_MAX], file2[MEDIA_FILE_MAX], bad[MEDIA_FILE_MAX];
	snprintf(src, sizeof src, "%s/a.jpg", f->dir);
	make_picture(src, "jpg", 900, 600);
	int64_t id1 = upload(f, src, "a.jpg", file1);
	int64_t id2 = upload(f, src, "b.jpg", file2);
	int64_t idbad = upload(f, src, "hong.jpg", bad);
	/* The stored copy of the third goes bad on disk after its check. */
	char path[256];
	snprintf(path, sizeof path, "%s/%s", f->media, bad);
	assert_int_equal(write_file(f->media, bad, "\xFF\xD8\xFF\xE0 hỏng"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media_jobs WHERE state = 0"), 3);

	/* As after a restart: the worker finds the waiting jobs by itself. */
	assert_int_equal(media_image_start(f->media), 0);
	time_t until = time(NULL) + 60;
	while (time(NULL) < until &&
	       testdb_query_int(f->db, "SELECT count(*) FROM media_jobs WHERE state = 0 AND attempts = 0") > 0)
		usleep(50 * 1000);
	while (media_image_busy() && time(NULL) < until)
		usleep(50 * 1000);
	media_image_stop();
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media_variants WHERE media_id IN "
					  "(SELECT id FROM media WHERE original_name IN ('a.jpg', 'b.jpg'))"),
			 2 * 3 * 2);
	media_item it;
	assert_int_equal(media_get_item(f->db, f->arena, id1, &it), 0);
	assert_int_equal(it.state, MEDIA_READY);
	assert_int_equal(media_get_item(f->db, f->arena, id2, &it), 0);
	assert_int_equal(it.state, MEDIA_READY);
	/* The bad one failed once and waits for another try. */
	assert_int_equal(media_get_item(f->db, f->arena, idbad, &it), 0);
	assert_int_equal(it.state, MEDIA_PROCESSING);
	assert_int_equal(testdb_query_int(f->db, "SELECT attempts FROM media_jobs"), 1);
	assert_int_equal(media_image_process(f->db, f->media, idbad), -1);
	assert_int_equal(media_image_process(f->db, f->media, idbad), -1);
	assert_int_equal(media_get_item(f->db, f->arena, idbad, &it), 0);
	assert_int_equal(it.state, MEDIA_FAILED);
	/* A catalog key for the page, never libvips' text with the server's paths. */
	assert_string_equal(it.error, MEDIA_IMAGE_ERR_PICTURE);
	assert_int_equal(media_servable(f->db, bad), 1);
	assert_int_equal(media_image_process(f->db, f->media, idbad), 1);
	/* Stopping twice, or a worker never started, is harmless. */
	media_image_stop();
}

/* ------------------------------------------------------ usage, delete */

static void test_delete_refused_while_used(void **state)
{
	fixture *f = *state;
	char src[256], file[MEDIA_FILE_MAX];
	snprintf(src, sizeof src, "%s/dung.png", f->dir);
	make_picture(src, "png", 400, 300);
	int64_t id = upload(f, src, "dùng.png", file);
	assert_int_equal(media_image_process(f->db, f->media, id), 0);
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO articles (id, category_id, slug, title, status, image_id) VALUES "
		 "(7, 1, 'trong-dong', 'Trống đồng', 2, %lld), (8, 1, 'bia-da', 'Bia đá', 0, NULL);"
		 "INSERT INTO article_images (article_id, position, media_id) VALUES (8, 0, %lld)",
		 (long long)id, (long long)id);
	assert_int_equal(db_exec(f->db, sql), 0);

	media_use *u = NULL;
	size_t nu = 0;
	assert_int_equal(media_usage(f->db, f->arena, id, &u, &nu), 0);
	assert_int_equal(nu, 2);
	assert_string_equal(u[0].title, "Bia đá");
	assert_string_equal(u[1].title, "Trống đồng");
	assert_string_equal(u[1].category_slug, "tin-tuc");

	media m;
	assert_int_equal(media_delete(f->db, f->arena, f->media, id, &m, &u, &nu), 3);
	assert_int_equal(nu, 2);
	assert_true(exists(f, file));
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media"), 1);

	/* One use gone: still refused. */
	assert_int_equal(db_exec(f->db, "UPDATE articles SET image_id = NULL WHERE id = 7"), 0);
	assert_int_equal(media_delete(f->db, f->arena, f->media, id, &m, &u, &nu), 3);
	assert_int_equal(nu, 1);
	assert_int_equal(u[0].id, 8);

	media_variant *v = NULL;
	size_t nv = 0;
	assert_int_equal(media_variants(f->db, f->arena, id, &v, &nv), 0);
	assert_int_equal(nv, 4);
	assert_int_equal(db_exec(f->db, "DELETE FROM article_images"), 0);
	assert_int_equal(media_delete(f->db, f->arena, f->media, id, &m, &u, &nu), 0);
	assert_string_equal(m.file, file);
	assert_false(exists(f, file));
	for (size_t i = 0; i < nv; i++)
		assert_false(exists(f, v[i].file));
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media"), 0);
	assert_int_equal(testdb_query_int(f->db, "SELECT count(*) FROM media_variants"), 0);
	assert_int_equal(media_delete(f->db, f->arena, f->media, id, &m, &u, &nu), 1);
}

/* -------------------------------------------------- list, search, edit */

/* Searches the library for q (no other filter, at most ten, from the
 * start): the number of matches, the first one's id in *first (0: none). */
static size_t search_media(fixture *f, const char *q, int64_t *first)
{
	media_filter flt = {.q = q};
	media_item *items = NULL;
	size_t n = 0;
	bool more = false;
	assert_int_equal(media_list(f->db, f->arena, &flt, NULL, 10, &items, &n, &more), 0);
	*first = n > 0 ? items[0].m.id : 0;
	return n;
}

static void test_list_search_filter(void **state)
{
	fixture *f = *state;
	char src[256], file[MEDIA_FILE_MAX], why[256];
	snprintf(src, sizeof src, "%s/l.png", f->dir);
	make_picture(src, "png", 30, 20);
	char jpg[256];
	snprintf(jpg, sizeof jpg, "%s/l.jpg", f->dir);
	make_picture(jpg, "jpg", 30, 20);
	int64_t ids[5];
	for (int i = 0; i < 5; i++) {
		char alt[64], credit[64], name[64];
		snprintf(alt, sizeof alt, "Ảnh số %d", i);
		snprintf(credit, sizeof credit, i == 3 ? "Nguyễn 100%%_x" : "Bảo tàng %d", i);
		snprintf(name, sizeof name, "anh-%d.%s", i, i % 2 ? "jpg" : "png");
		assert_int_equal(media_store_upload(f->db, f->media, i % 2 ? jpg : src, name, alt,
						    credit, &ids[i], file, sizeof file, NULL, why,
						    sizeof why), 0);
	}
	/* created_at apart, so the order and the date filter are visible. */
	for (int i = 0; i < 5; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "UPDATE media SET created_at = %d WHERE id = %lld",
			 1000 + i * 100, (long long)ids[i]);
		assert_int_equal(db_exec(f->db, sql), 0);
	}
	media_item *items = NULL;
	size_t n = 0;
	bool more = false;
	media_filter flt = {0};
	assert_int_equal(media_list(f->db, f->arena, &flt, NULL, 2, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_true(more);
	assert_int_equal(items[0].m.id, ids[4]);
	assert_int_equal(items[1].m.id, ids[3]);
	assert_int_equal(items[0].state, MEDIA_PROCESSING);
	char cur[48];
	media_cursor c = {items[1].m.created_at, items[1].m.id}, c2;
	media_cursor_encode(&c, cur, sizeof cur);
	assert_int_equal(media_cursor_parse(cur, &c2), 0);
	assert_int_equal(c2.id, c.id);
	assert_int_equal(media_cursor_parse("12.x", &c2), -1);
	assert_int_equal(media_cursor_parse("", &c2), -1);
	assert_int_equal(media_list(f->db, f->arena, &flt, &c2, 2, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].m.id, ids[2]);
	assert_true(more);
	/* Search: alt, credit (with LIKE's own characters), original name. */
	int64_t first;
	assert_int_equal(search_media(f, "100%_", &first), 1);
	assert_int_equal(first, ids[3]);
	assert_int_equal(search_media(f, "%", &first), 1);
	assert_int_equal(search_media(f, "ANH-2", &first), 1);
	assert_int_equal(first, ids[2]);
	assert_int_equal(search_media(f, "số 1", &first), 1);
	/* Vietnamese without marks, or in capitals, finds the marked text. */
	assert_int_equal(search_media(f, "so 1", &first), 1);
	assert_int_equal(first, ids[1]);
	assert_int_equal(search_media(f, "BẢO TÀNG 4", &first), 1);
	assert_int_equal(first, ids[4]);
	assert_int_equal(search_media(f, "nguyen", &first), 1);
	assert_int_equal(first, ids[3]);
	/* Type and dates. */
	flt.type = "jpg";
	assert_int_equal(media_list(f->db, f->arena, &flt, NULL, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	flt.type = NULL;
	flt.from = 1100;
	flt.to = 1300;
	assert_int_equal(media_list(f->db, f->arena, &flt, NULL, 10, &items, &n, &more), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].m.id, ids[2]);
	assert_int_equal(items[1].m.id, ids[1]);

	/* Editing alt and credit. */
	assert_int_equal(media_update_text(f->db, ids[0], "Mới <b>", "Nguồn mới"), 0);
	media_item it;
	assert_int_equal(media_get_item(f->db, f->arena, ids[0], &it), 0);
	assert_string_equal(it.m.alt, "Mới <b>");
	assert_string_equal(it.m.credit, "Nguồn mới");
	/* The search follows the change. */
	assert_int_equal(search_media(f, "nguon moi", &first), 1);
	assert_int_equal(first, ids[0]);
	assert_int_equal(search_media(f, "bảo tàng 0", &first), 0);
	assert_int_equal(media_update_text(f->db, 999, "a", "b"), 1);
	assert_int_equal(media_update_text(f->db, ids[0], "\xC3\x28", "b"), 2);
	char longer[MEDIA_ALT_MAX + 2];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(media_update_text(f->db, ids[0], longer, "b"), 2);
}

/* A CMYK JPEG with its colour profile (print scans are often like this)
 * gives sRGB sizes, 3 bands, with no profile left. */
static void test_cmyk_becomes_srgb(void **state)
{
	fixture *f = *state;
	assert_int_equal(media_image_init(), 0);
	char src[256], file[MEDIA_FILE_MAX];
	snprintf(src, sizeof src, "%s/in.jpg", f->dir);
	VipsImage *black = NULL, *grey = NULL, *rgb = NULL, *cmyk = NULL;
	assert_int_equal(vips_black(&black, 400, 300, "bands", 3, NULL), 0);
	assert_int_equal(vips_linear1(black, &grey, 1.0, 140.0, NULL), 0);
	assert_int_equal(vips_cast(grey, &rgb, VIPS_FORMAT_UCHAR, NULL), 0);
	assert_int_equal(vips_icc_transform(rgb, &cmyk, "cmyk", "input_profile", "srgb", NULL), 0);
	assert_int_equal(cmyk->Bands, 4);
	assert_int_equal(vips_jpegsave(cmyk, src, NULL), 0);
	g_object_unref(black);
	g_object_unref(grey);
	g_object_unref(rgb);
	g_object_unref(cmyk);

	int64_t id = upload(f, src, "cmyk.jpg", file);
	assert_int_equal(media_image_process(f->db, f->media, id), 0);
	media_variant *v = NULL;
	size_t n = 0;
	assert_int_equal(media_variants(f->db, f->arena, id, &v, &n), 0);
	assert_int_equal(n, 2 * 2); /* 320 and 400, JPEG and WebP */
	char path[256];
	for (size_t i = 0; i <= n; i++) {
		snprintf(path, sizeof path, "%s/%s", f->media, i < n ? v[i].file : file);
		VipsImage *img = vips_image_new_from_file(path, NULL);
		assert_non_null(img);
		int bands = img->Bands;
		bool icc = vips_image_get_typeof(img, VIPS_META_ICC_NAME) != 0;
		bool exif = vips_image_get_typeof(img, VIPS_META_EXIF_NAME) != 0;
		g_object_unref(img);
		if (bands != 3 || icc || exif)
			fail_msg("%s: %d bands, icc %d, exif %d", path, bands, icc, exif);
	}
	vips_thread_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		testdb_case(test_upload_refusals, setup),
		testdb_case(test_variants_stripped, setup),
		testdb_case(test_variants_never_enlarged, setup),
		testdb_case(test_legacy_falls_back, setup),
		testdb_case(test_queue_resumes_and_gives_up, setup),
		testdb_case(test_delete_refused_while_used, setup),
		testdb_case(test_list_search_filter, setup),
		testdb_case(test_cmyk_becomes_srgb, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
