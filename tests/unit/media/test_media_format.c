/*
 * test_media_format.c - what a picture file is (src/model/media_format.c):
 * sizes read from image headers, the accepted extensions, and the
 * structure checks of uploads; no database, no files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "model/media_format.h"

static void test_header_sizes(void **state)
{
	(void)state;
	int w = 0, h = 0;
	/* JPEG: APP0, then a progressive frame (SOF2) of 640 x 480. */
	unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xFF,
			       0xC2, 0x00, 0x0B, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00};
	assert_int_equal(media_image_size(jpg, sizeof jpg, "image/jpeg", &w, &h), 0);
	assert_int_equal(w, 640);
	assert_int_equal(h, 480);
	/* DHT (0xC4) is not a frame header. */
	jpg[10] = 0xC4;
	assert_int_equal(media_image_size(jpg, sizeof jpg, "image/jpeg", &w, &h), -1);

	/* WebP lossy, lossless, extended. */
	unsigned char vp8[30] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P',
				 'V', 'P', '8', ' ', 0, 0, 0, 0, 0, 0, 0, 0x9D, 0x01, 0x2A,
				 0x20, 0x03, 0x58, 0x02};
	assert_int_equal(media_image_size(vp8, sizeof vp8, "image/webp", &w, &h), 0);
	assert_int_equal(w, 800);
	assert_int_equal(h, 600);
	unsigned char vp8l[30] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P',
				  'V', 'P', '8', 'L', 0, 0, 0, 0, 0x2F};
	/* width-1 = 99, height-1 = 49: bits = 99 | 49 << 14 */
	uint32_t bits = 99u | (49u << 14);
	vp8l[21] = (unsigned char)bits;
	vp8l[22] = (unsigned char)(bits >> 8);
	vp8l[23] = (unsigned char)(bits >> 16);
	vp8l[24] = (unsigned char)(bits >> 24);
	assert_int_equal(media_image_size(vp8l, sizeof vp8l, "image/webp", &w, &h), 0);
	assert_int_equal(w, 100);
	assert_int_equal(h, 50);
	unsigned char vp8x[30] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P',
				  'V', 'P', '8', 'X', 0, 0, 0, 0, 0, 0, 0, 0,
				  0x3F, 0x42, 0x0F, 0xFF, 0x00, 0x00};
	assert_int_equal(media_image_size(vp8x, sizeof vp8x, "image/webp", &w, &h), 0);
	assert_int_equal(w, 1000000);
	assert_int_equal(h, 256);

	/* GIF, and zero sizes refused. */
	unsigned char gif[10] = {'G', 'I', 'F', '8', '9', 'a', 0x2C, 0x01, 0xC8, 0x00};
	assert_int_equal(media_image_size(gif, sizeof gif, "image/gif", &w, &h), 0);
	assert_int_equal(w, 300);
	assert_int_equal(h, 200);
	gif[6] = gif[7] = 0;
	assert_int_equal(media_image_size(gif, sizeof gif, "image/gif", &w, &h), -1);
	/* Short buffers. */
	assert_int_equal(media_image_size(gif, 9, "image/gif", &w, &h), -1);
	assert_int_equal(media_image_size(vp8, 29, "image/webp", &w, &h), -1);
	assert_int_equal(media_image_size(jpg, 3, "image/jpeg", &w, &h), -1);
	assert_int_equal(media_image_size(gif, sizeof gif, "image/svg+xml", &w, &h), -1);
}

static void test_mime_of_ext(void **state)
{
	(void)state;
	assert_string_equal(media_mime_of_ext("jpg"), "image/jpeg");
	assert_string_equal(media_mime_of_ext("png"), "image/png");
	assert_string_equal(media_mime_of_ext("webp"), "image/webp");
	assert_string_equal(media_mime_of_ext("gif"), "image/gif");
	assert_string_equal(media_mime_of_ext("pdf"), "application/pdf");
	assert_null(media_mime_of_ext("svg"));
	assert_null(media_mime_of_ext("JPG"));
	assert_null(media_mime_of_ext(""));
	assert_true(media_is_document("application/pdf"));
	assert_false(media_is_document("image/png"));
	assert_false(media_is_document(NULL));
}

/* A PDF ends with %%EOF (white space may follow), nothing else after it. */
static void test_pdf_structure(void **state)
{
	(void)state;
	char why[160];
	static const char whole[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\r\n";
	static const char glued[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n<html><script>x</script>";
	static const char cut[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<";
	static const char html[] = "<!DOCTYPE html><html>%%EOF";
	const char *mime = "application/pdf";
	assert_int_equal(media_check_structure((const unsigned char *)whole, sizeof whole - 1, mime,
					       why, sizeof why), 0);
	assert_int_equal(media_check_structure((const unsigned char *)glued, sizeof glued - 1, mime,
					       why, sizeof why), -1);
	assert_non_null(strstr(why, "PDF"));
	assert_int_equal(media_check_structure((const unsigned char *)cut, sizeof cut - 1, mime, why,
					       sizeof why), -1);
	assert_int_equal(media_check_structure((const unsigned char *)html, sizeof html - 1, mime,
					       why, sizeof why), -1);
}

/* A PNG is whole when IEND closes it, and nothing may follow. */
static void test_png_structure(void **state)
{
	(void)state;
	static const unsigned char png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
		0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0,
		0x90, 0x77, 0x53, 0xDE,
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82,
	};
	char why[256] = "";
	assert_int_equal(media_check_structure(png, sizeof png, "image/png", why, sizeof why), 0);
	/* Cut before IEND: truncated. */
	why[0] = '\0';
	assert_int_equal(media_check_structure(png, sizeof png - 12, "image/png", why, sizeof why), -1);
	assert_true(why[0] != '\0');
	/* A page glued after the end: refused. */
	unsigned char glued[sizeof png + 32];
	memcpy(glued, png, sizeof png);
	memcpy(glued + sizeof png, "<html><script>x</script></html>", 32);
	why[0] = '\0';
	assert_int_equal(media_check_structure(glued, sizeof glued, "image/png", why, sizeof why), -1);
	assert_true(why[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_sizes),
		cmocka_unit_test(test_mime_of_ext),
		cmocka_unit_test(test_png_structure),
		cmocka_unit_test(test_pdf_structure),
	};
	return cmocka_run_group_tests_name("media_format", tests, NULL, NULL);
}
