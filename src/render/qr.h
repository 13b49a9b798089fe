/*
 * qr.h - QR codes as inline SVG (libqrencode), for the printed exhibit
 * labels: a visitor's phone opens the object's public page from them.
 *
 * The SVG is made here from the code's modules only (one <path> of unit
 * squares on a white quiet zone of 4 modules, as ISO/IEC 18004 asks), so a
 * page may insert it raw: no text of the caller ends up in it except
 * title, which is escaped. Thread safe (libqrencode is built with pthread
 * on Debian).
 */
#ifndef SEN_RENDER_QR_H
#define SEN_RENDER_QR_H

#include "core/buf.h"

#define QR_TEXT_MAX 1000   /* bytes encoded at most (an URL) */

/* Appends to out an <svg> of text (8-bit mode, error correction M) drawn
 * size_mm millimetres wide, with title (escaped; may be NULL) for readers
 * of assistive technology. 0, or -1 when text is empty or too long, or
 * memory runs out (out then holds what was appended before). */
int qr_svg(buf_t *out, const char *text, const char *title, int size_mm);

#endif
