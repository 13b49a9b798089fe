/*
 * qr.c - QR codes as inline SVG (see qr.h).
 */
#include "render/qr.h"

#include <errno.h>
#include <string.h>

#include <qrencode.h>

/* Modules of white around the code that readers need. */
#define QUIET 4

int qr_svg(buf_t *out, const char *text, const char *title, int size_mm)
{
	size_t len = text != NULL ? strnlen(text, QR_TEXT_MAX + 1) : 0;
	if (len == 0 || len > QR_TEXT_MAX || size_mm <= 0)
		return -1;
	QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (qr == NULL)
		return -1;
	int side = qr->width + 2 * QUIET;
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\""
		   " width=\"%dmm\" height=\"%dmm\" role=\"img\" shape-rendering=\"crispEdges\">",
		   side, side, size_mm, size_mm);
	if (title != NULL && title[0] != '\0') {
		buf_puts(out, "<title>");
		buf_append_html(out, title, strlen(title));
		buf_puts(out, "</title>");
	}
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   side, side);
	/* One run of dark modules per "M x,y h n v1 h -n z": a row's
	 * neighbours drawn as one rectangle keep the path short. */
	for (int y = 0; y < qr->width; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)qr->width;
		for (int x = 0; x < qr->width;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < qr->width && (row[x + run] & 1))
				run++;
			buf_printf(out, "M%d,%dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
		}
	}
	buf_puts(out, "\"/></svg>");
	QRcode_free(qr);
	return out->failed ? -1 : 0;
}
