/*
 * media_format.h - what a picture file is: its type, taken from the content
 * (libmagic), never from the uploader's file name, and its pixel size, read
 * from the image header, so a huge picture is refused before anything
 * decodes it. Only JPEG, PNG, WebP and GIF are accepted, at most
 * MEDIA_MAX_BYTES and MEDIA_MAX_PIXELS; the back office is stricter
 * (media_check_upload) and also takes one kind of document: PDF (a
 * publication's file), at most MEDIA_MAX_BYTES, with no pixel size (0x0).
 *
 * why messages are Vietnamese sentences for the person who sent the file
 * ("Tệp không phải là ảnh JPEG, PNG, WebP hoặc GIF (text/plain).").
 * Functions return 0 when the file is accepted, -1 with the reason in why
 * otherwise. Nothing here writes a file or a row; nothing allocated here
 * outlives a call. The functions may be called from several threads.
 */
#ifndef SEN_MODEL_MEDIA_FORMAT_H
#define SEN_MODEL_MEDIA_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#define MEDIA_MAX_BYTES (20u * 1024u * 1024u)
#define MEDIA_MAX_PIXELS (40u * 1000u * 1000u)

/* What the content of a file turned out to be. mime and ext point to
 * static strings ("image/png", "png"). */
typedef struct {
	const char *mime;
	const char *ext;
	int width, height;
	size_t bytes;
} media_info;

/* The MIME type of an accepted extension ("jpg" -> "image/jpeg", "pdf" ->
 * "application/pdf"), or NULL for any other. Static strings. */
const char *media_mime_of_ext(const char *ext);

/* True for a document of the library (a PDF) rather than a picture: no
 * variants, no tiles, never shown inline, served as a download. */
bool media_is_document(const char *mime);

/*
 * Checks that src_path is a regular file holding an accepted picture within
 * the limits, without storing anything. Fills *info (may be NULL).
 * 0, or -1 with the reason in why.
 */
int media_check_file(const char *src_path, media_info *info, char *why, size_t whylen);

/*
 * The stricter check for files sent through the back office: everything
 * media_check_file() checks, and also only JPEG, PNG and WebP (no GIF) or
 * PDF, and the structure of the file (media_check_structure). 0, or -1
 * with why.
 */
int media_check_upload(const char *src_path, media_info *info, char *why, size_t whylen);

/*
 * Walks the structure of a picture already known (by libmagic) to be mime:
 * refuses a truncated file (a JPEG without its end marker, a PNG without
 * IEND, a WebP shorter than its RIFF size), bytes after the end of the
 * picture (the usual way to make a file that is also HTML, a ZIP or a
 * script: a "polyglot"), and markup (<script, <html, <?php, <svg, <!doctype,
 * <iframe) inside metadata segments. Nothing is decoded. 0, or -1 with why.
 * Exposed for tests and fuzzing.
 */
int media_check_structure(const unsigned char *data, size_t len, const char *mime, char *why,
			  size_t whylen);

/*
 * Reads the pixel size from the header of a picture in memory, for the
 * given mime type. 0, or -1 when the header is missing, truncated or says
 * 0 pixels. Exposed for tests and fuzzing; nothing is decoded.
 */
int media_image_size(const unsigned char *data, size_t len, const char *mime,
		     int *width, int *height);

#endif
