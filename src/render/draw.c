/*
 * draw.c - demo placeholder landscapes and CAPTCHA images with libgd.
 *
 * Both pictures are painted pixel by pixel into a gd true-colour image
 * (blending done here in doubles, so edges are anti-aliased without relying
 * on gd's alpha modes), then encoded with gd's PNG writer.
 */
#include "render/draw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gd.h>
#include <gdfontg.h>
#include <sodium.h>

#include "core/log.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ------------------------------------------------------------------------
 * Colours and pixels
 * ------------------------------------------------------------------------ */

struct rgb {
	double r, g, b;
};

static struct rgb mix(struct rgb a, struct rgb b, double t)
{
	struct rgb c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
	return c;
}

static double clamp01(double t)
{
	return t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
}

static double smoothstep(double t)
{
	t = clamp01(t);
	return t * t * (3.0 - 2.0 * t);
}

/* Rounds a channel into 0..255; NaN and out-of-range values are clamped
 * before the conversion because converting them would be undefined. */
static int channel(double v)
{
	if (!(v > 0.0))
		return 0;
	if (v >= 255.0)
		return 255;
	return (int)(v + 0.5);
}

static int to_gd(struct rgb c)
{
	return gdTrueColor(channel(c.r), channel(c.g), channel(c.b));
}

static struct rgb from_gd(int c)
{
	struct rgb v = {(double)gdTrueColorGetRed(c), (double)gdTrueColorGetGreen(c),
			(double)gdTrueColorGetBlue(c)};
	return v;
}

/* Paints c over the pixel with coverage alpha (0..1); outside is ignored. */
static void blend(gdImagePtr im, int x, int y, struct rgb c, double alpha)
{
	if (x < 0 || y < 0 || x >= gdImageSX(im) || y >= gdImageSY(im) || alpha <= 0.0)
		return;
	if (alpha >= 1.0) {
		im->tpixels[y][x] = to_gd(c);
		return;
	}
	im->tpixels[y][x] = to_gd(mix(from_gd(im->tpixels[y][x]), c, alpha));
}

/* Hue 0..360, saturation and lightness 0..1, to RGB 0..255. */
static struct rgb hsl(double h, double s, double l)
{
	double c = (1.0 - fabs(2.0 * l - 1.0)) * s;
	double hp = fmod(fmod(h, 360.0) + 360.0, 360.0) / 60.0;
	double x = c * (1.0 - fabs(fmod(hp, 2.0) - 1.0));
	double r = 0, g = 0, b = 0;
	if (hp < 1) { r = c; g = x; }
	else if (hp < 2) { r = x; g = c; }
	else if (hp < 3) { g = c; b = x; }
	else if (hp < 4) { g = x; b = c; }
	else if (hp < 5) { r = x; b = c; }
	else { r = c; b = x; }
	double m = l - c / 2.0;
	struct rgb v = {(r + m) * 255.0, (g + m) * 255.0, (b + m) * 255.0};
	return v;
}

/* ------------------------------------------------------------------------
 * Placeholder landscape
 * ------------------------------------------------------------------------ */

/* splitmix64: small, fast and the same on every platform, which is what a
 * deterministic picture needs (not a CSPRNG; nothing secret here). */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * ((double)(rng_next(r) >> 11) * 0x1.0p-53);
}

struct palette {
	struct rgb sky_top, sky_horizon, sun, cloud, far_hill, near_hill, field, field_alt;
};

/* Times of day over the valley: dawn, clear noon, dusk, misty morning and
 * golden afternoon. The seed picks one and nudges its hues. */
static const struct palette palettes[] = {
	{{70, 92, 158}, {252, 196, 160}, {255, 240, 214}, {255, 226, 214},
	 {150, 132, 172}, {44, 58, 78}, {96, 128, 84}, {120, 150, 96}},
	{{62, 132, 206}, {206, 230, 242}, {255, 252, 232}, {255, 255, 255},
	 {128, 168, 182}, {34, 96, 64}, {112, 168, 76}, {146, 190, 92}},
	{{38, 40, 92}, {246, 146, 96}, {255, 214, 140}, {252, 178, 150},
	 {150, 100, 130}, {34, 26, 48}, {88, 80, 62}, {110, 94, 68}},
	{{140, 178, 196}, {236, 238, 226}, {255, 250, 236}, {250, 250, 246},
	 {164, 188, 180}, {46, 88, 62}, {104, 150, 96}, {130, 170, 110}},
	{{88, 146, 198}, {250, 222, 166}, {255, 244, 200}, {255, 246, 232},
	 {172, 168, 150}, {66, 86, 44}, {150, 160, 70}, {178, 176, 86}},
};

#define NPALETTES (sizeof palettes / sizeof palettes[0])
#define NWAVES 5
#define NLAYERS 4
#define NCLOUDS 5
#define NPUFFS 6

struct ridge {
	double base;          /* y of the layer's lowest ridge point */
	double height;        /* how far the ridge may rise above base */
	double valley_center; /* 0..1 across the picture: where hills part */
	double valley_depth;  /* 0..1: how much they part there */
	double freq[NWAVES], amp[NWAVES], phase[NWAVES];
	struct rgb color, mist;
};

/* The ridge line of a layer at column x, in pixels from the top: a sum of
 * sines for the skyline, lowered towards the valley in the middle. */
static double ridge_y(const struct ridge *rd, double u)
{
	double n = 0.0, norm = 0.0;
	for (int k = 0; k < NWAVES; k++) {
		n += rd->amp[k] * sin(rd->freq[k] * u * 2.0 * M_PI + rd->phase[k]);
		norm += rd->amp[k];
	}
	n = 0.5 + 0.5 * n / norm; /* 0..1 */
	double d = fabs(u - rd->valley_center) / 0.5;
	double shape = 1.0 - rd->valley_depth * (1.0 - smoothstep(d));
	return rd->base - rd->height * shape * (0.35 + 0.65 * n);
}

static void paint_sky(gdImagePtr im, const struct palette *p, double horizon, double sun_x,
		      double sun_y, double sun_r)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	for (int y = 0; y < h; y++) {
		struct rgb row = mix(p->sky_top, p->sky_horizon, smoothstep(y / horizon));
		for (int x = 0; x < w; x++) {
			double dx = x - sun_x, dy = y - sun_y;
			double d = sqrt(dx * dx + dy * dy);
			/* A wide warm glow and a tight halo around the sun. */
			double glow = 0.45 * exp(-d * d / (2.0 * (sun_r * 6) * (sun_r * 6))) +
				      0.5 * exp(-d * d / (2.0 * (sun_r * 1.8) * (sun_r * 1.8)));
			struct rgb c = mix(row, p->sun, clamp01(glow));
			/* The disc itself, with a one-pixel soft rim. */
			c = mix(c, p->sun, clamp01(sun_r - d + 0.5));
			im->tpixels[y][x] = to_gd(c);
		}
	}
}

static void paint_clouds(gdImagePtr im, struct rng *r, const struct palette *p, double horizon)
{
	int w = gdImageSX(im);
	double scale = w / 1200.0;
	for (int i = 0; i < NCLOUDS; i++) {
		double cx = rng_range(r, -0.1, 1.1) * w;
		double cy = rng_range(r, 0.08, 0.55) * horizon;
		double len = rng_range(r, 120, 320) * scale;
		double opacity = rng_range(r, 0.35, 0.7);
		for (int j = 0; j < NPUFFS; j++) {
			double px = cx + rng_range(r, -0.5, 0.5) * len;
			double py = cy + rng_range(r, -0.12, 0.06) * len;
			double rx = rng_range(r, 0.25, 0.45) * len, ry = rx * rng_range(r, 0.25, 0.4);
			int x0 = (int)fmax(0, px - rx), x1 = (int)fmin(w - 1, px + rx);
			int y0 = (int)fmax(0, py - ry), y1 = (int)fmin(gdImageSY(im) - 1, py + ry);
			for (int y = y0; y <= y1; y++)
				for (int x = x0; x <= x1; x++) {
					double ex = (x - px) / rx, ey = (y - py) / ry;
					double q = 1.0 - (ex * ex + ey * ey);
					if (q > 0)
						blend(im, x, y, p->cloud, opacity * smoothstep(q * 1.6) * 0.6);
				}
		}
	}
}

static void paint_layer(gdImagePtr im, const struct ridge *rd)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	double fade = h * 0.22; /* mist thickens over this many pixels below a ridge */
	for (int x = 0; x < w; x++) {
		double top = ridge_y(rd, (x + 0.5) / w);
		int y0 = (int)floor(fmax(0.0, top));
		for (int y = y0; y < h; y++) {
			double cover = clamp01(y + 1 - top); /* anti-aliased ridge edge */
			double t = clamp01((y - top) / fade);
			blend(im, x, y, mix(rd->color, rd->mist, 0.55 * smoothstep(t)), cover);
		}
	}
}

/* The valley floor: bands of rice fields narrowing towards the horizon and a
 * river (the Nậm Rốm, if you like) winding from the hills to the viewer. */
static void paint_valley(gdImagePtr im, struct rng *r, const struct palette *p, double floor_y)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	double depth = h - floor_y;
	double river_x = rng_range(r, 0.35, 0.65) * w;
	double bend = rng_range(r, 0.08, 0.16) * w, turns = rng_range(r, 1.2, 2.2);
	double phase = rng_range(r, 0, 2 * M_PI);
	double vanish = rng_range(r, 0.3, 0.7) * w, plots = rng_range(r, 9, 14);
	struct rgb water = mix(p->sky_horizon, p->sky_top, 0.35);
	struct rgb haze = mix(p->sky_horizon, p->far_hill, 0.45);
	struct rgb dike = mix(p->field, p->near_hill, 0.35);
	for (int y = (int)floor_y; y < h; y++) {
		double t = (y - floor_y) / depth;           /* 0 at the horizon, 1 at the bottom */
		double band = pow(t + 0.02, 0.5) * 14.0;    /* perspective: rows widen downwards */
		double stripe = 0.5 + 0.5 * cos(band * 2.0 * M_PI);
		struct rgb ground = mix(p->field, p->field_alt, smoothstep(stripe));
		ground = mix(ground, p->near_hill, 0.2 * t);
		double center = river_x + bend * t * sin(turns * t * 2.0 * M_PI + phase);
		double half = (0.004 + 0.05 * t * t) * w;
		double spread = (t + 0.04) * w / plots; /* field width at this row */
		double line = 0.6 + 1.2 * t;            /* dike width at this row */
		double mist = 0.75 * (1.0 - smoothstep(t * 4.0));
		for (int x = 0; x < w; x++) {
			/* Dikes between fields fan out from a vanishing point. */
			double u = (x + 0.5 - vanish) / spread;
			double dist = fabs(u - floor(u + 0.5)) * spread;
			struct rgb c = mix(ground, dike, 0.55 * clamp01(line - dist + 0.5) * smoothstep(t * 2.5));
			double edge = half - fabs(x + 0.5 - center); /* > 0 inside the river */
			c = mix(c, water, clamp01(edge + 0.5));
			c = mix(c, haze, mist);
			blend(im, x, y, c, clamp01(y + 1 - floor_y));
		}
	}
}

/* Stylised trees, a few clumps standing on a ridge line. */
static void paint_trees(gdImagePtr im, struct rng *r, const struct ridge *rd, struct rgb color)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	int clumps = (int)rng_range(r, 2, 5);
	double scale = h / 800.0;
	for (int c = 0; c < clumps; c++) {
		double u0 = rng_range(r, 0.02, 0.98);
		int trees = (int)rng_range(r, 2, 6);
		for (int k = 0; k < trees; k++) {
			double u = u0 + rng_range(r, -0.03, 0.03);
			double x = u * w, foot = ridge_y(rd, u) + 3 * scale;
			if (foot > h - 10 * scale || foot < h * 0.55)
				continue;
			double th = rng_range(r, 26, 48) * scale, tw = th * rng_range(r, 0.32, 0.42);
			struct rgb shade = mix(color, (struct rgb){0, 0, 0}, rng_range(r, 0.1, 0.3));
			/* A rounded crown: an ellipse, anti-aliased by distance. */
			double cy = foot - th * 0.55;
			for (int y = (int)(cy - th * 0.5 - 2); y <= (int)(foot + 2); y++)
				for (int xx = (int)(x - tw - 2); xx <= (int)(x + tw + 2); xx++) {
					double ex = (xx + 0.5 - x) / tw, ey = (y + 0.5 - cy) / (th * 0.5);
					double d = sqrt(ex * ex + ey * ey);
					blend(im, xx, y, shade, clamp01((1.0 - d) * tw));
					/* The trunk below the crown. */
					if (y > cy && fabs(xx + 0.5 - x) < 1.2 * scale + 0.5)
						blend(im, xx, y, shade, 1.0);
				}
		}
	}
}

static void paint_birds(gdImagePtr im, struct rng *r, const struct palette *p, double horizon)
{
	int w = gdImageSX(im);
	int n = (int)rng_range(r, 0, 5);
	double s = w / 1200.0 * rng_range(r, 5, 9);
	struct rgb ink = mix(p->near_hill, p->sky_top, 0.2);
	double bx = rng_range(r, 0.2, 0.8) * w, by = rng_range(r, 0.2, 0.5) * horizon;
	for (int i = 0; i < n; i++) {
		double x = bx + rng_range(r, -4, 4) * s * 3, y = by + rng_range(r, -3, 3) * s * 2;
		/* Two shallow strokes: a gull seen from afar. */
		for (int k = -1; k <= 1; k += 2)
			for (double u = 0; u <= 1.0; u += 0.5 / s) {
				double px = x + k * u * s * 1.6;
				double py = y - sin(u * M_PI * 0.9) * s * 0.5;
				for (int dy = 0; dy < 2; dy++)
					blend(im, (int)px, (int)py + dy, ink, dy ? 0.35 : 0.85);
			}
	}
}

static int write_atomically(const char *path, const void *data, size_t len)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + sizeof ".tmp.XXXXXX");
	int fd = -1;
	if (!tmp) {
		log_error("draw: out of memory writing %s", path);
		return -1;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
	fd = mkstemp(tmp);
	if (fd < 0) {
		log_error("draw: cannot create a temporary file for %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkstemp makes 0600; media files are read by the web server and by
	 * whoever backs the data directory up. */
	if (fchmod(fd, 0644) != 0)
		goto io_fail;
	const unsigned char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto io_fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0)
		goto io_fail;
	if (close(fd) != 0) {
		fd = -1;
		goto io_fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto io_fail;
	free(tmp);
	return 0;
io_fail:
	log_error("draw: cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int draw_placeholder_png(const char *path, int width, int height, uint32_t seed)
{
	gdImagePtr im = NULL;
	void *png = NULL;
	int size = 0, rc = -1;

	if (!path || !*path || strnlen(path, PATH_MAX) >= PATH_MAX - 16 || width < 16 ||
	    height < 16 || width > DRAW_MAX_SIDE || height > DRAW_MAX_SIDE) {
		log_error("draw: refused placeholder %dx%d for %s", width, height,
			  path ? path : "(null)");
		return -1;
	}
	im = gdImageCreateTrueColor(width, height);
	if (!im) {
		log_error("draw: out of memory for a %dx%d image", width, height);
		return -1;
	}
	gdImageAlphaBlending(im, 0);

	struct rng r = {((uint64_t)seed << 32) ^ seed ^ 0x53656E2044726177ull};
	struct palette p = palettes[rng_next(&r) % NPALETTES];
	/* Nudge every colour a little so two pictures of one palette differ. */
	double tint_r = rng_range(&r, -10, 10), tint_g = rng_range(&r, -10, 10),
	       tint_b = rng_range(&r, -10, 10);
	struct rgb *all[] = {&p.sky_top, &p.sky_horizon, &p.far_hill, &p.near_hill, &p.field,
			     &p.field_alt};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		all[i]->r += tint_r;
		all[i]->g += tint_g;
		all[i]->b += tint_b;
	}

	double h = height, w = width;
	double horizon = h * rng_range(&r, 0.58, 0.66);
	double floor_y = h * rng_range(&r, 0.70, 0.76);
	double sun_r = fmin(w, h) * rng_range(&r, 0.045, 0.07);
	double sun_x = w * rng_range(&r, 0.15, 0.85);
	double sun_y = horizon * rng_range(&r, 0.3, 0.7);

	paint_sky(im, &p, horizon, sun_x, sun_y, sun_r);
	paint_clouds(im, &r, &p, horizon);
	paint_birds(im, &r, &p, horizon);

	/* Far ranges first: tall, hazy and pale. Then the valley floor, then
	 * near hills that rise from the bottom corners and part in the middle,
	 * so the fields show between them. */
	double valley_center = rng_range(&r, 0.4, 0.6);
	for (int i = 0; i < NLAYERS; i++) {
		double t = (double)i / (NLAYERS - 1);
		struct ridge rd;
		if (i < 2) {
			rd.base = floor_y - (1 - i) * h * 0.04;
			rd.height = h * (0.30 - 0.1 * i) * rng_range(&r, 0.85, 1.1);
			rd.valley_depth = 0.2 + 0.2 * i;
		} else {
			rd.base = h * (1.0 + 0.04 * (i - 2));
			rd.height = (rd.base - floor_y) + h * rng_range(&r, 0.05, 0.16);
			rd.valley_depth = 0.92 + 0.08 * (i - 2);
		}
		rd.valley_center = valley_center + rng_range(&r, -0.12, 0.12);
		for (int k = 0; k < NWAVES; k++) {
			rd.freq[k] = (1.0 + k * 1.9) * rng_range(&r, 0.8, 1.3) * (1.0 + 0.6 * (1 - t));
			rd.amp[k] = pow(0.55 + 0.1 * (1 - t), k);
			rd.phase[k] = rng_range(&r, 0, 2 * M_PI);
		}
		rd.color = mix(mix(p.far_hill, p.near_hill, smoothstep(t)), p.sky_horizon,
			       0.25 * (1 - t));
		rd.mist = mix(p.sky_horizon, rd.color, 0.25 + 0.5 * t);
		paint_layer(im, &rd);
		if (i >= 2)
			paint_trees(im, &r, &rd, rd.color);
		if (i == 1)
			paint_valley(im, &r, &p, floor_y);
	}

	/* zlib level 6: level 9 saves about 12% of the bytes but takes five
	 * times as long on these smooth gradients. */
	png = gdImagePngPtrEx(im, &size, 6);
	if (!png || size <= 0) {
		log_error("draw: PNG encoding failed for %s", path);
		goto done;
	}
	rc = write_atomically(path, png, (size_t)size);
done:
	if (png)
		gdFree(png);
	gdImageDestroy(im);
	return rc;
}

/* ------------------------------------------------------------------------
 * CAPTCHA
 * ------------------------------------------------------------------------ */

static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;
static char font_path[512] = DRAW_CAPTCHA_FONT;

int draw_captcha_set_font(const char *path)
{
	if (!path)
		path = DRAW_CAPTCHA_FONT;
	if (strlen(path) >= sizeof font_path) {
		log_error("draw: CAPTCHA font path too long");
		return -1;
	}
	snprintf(font_path, sizeof font_path, "%s", path);
	return 0;
}

void draw_shutdown(void)
{
	pthread_mutex_lock(&font_lock);
	gdFontCacheShutdown();
	pthread_mutex_unlock(&font_lock);
}

/* gd builds its FreeType cache lazily and that first set-up is not
 * thread-safe; once it exists gd locks around it itself. */
static int font_cache_ready(void)
{
	pthread_mutex_lock(&font_lock);
	int rc = gdFontCacheSetup();
	pthread_mutex_unlock(&font_lock);
	return rc == 0;
}

/* A uniform double in [lo, hi) from the CSPRNG. */
static double rand_range(double lo, double hi)
{
	return lo + (hi - lo) * (randombytes_uniform(1u << 24) / (double)(1u << 24));
}

static int in_alphabet(char c)
{
	return c != '\0' && strchr(DRAW_CAPTCHA_ALPHABET, c) != NULL;
}

void draw_captcha_code(char *out, size_t len)
{
	if (!out || len == 0)
		return;
	if (sodium_init() < 0)
		fatal("draw: libsodium cannot start");
	const uint32_t n = (uint32_t)(sizeof DRAW_CAPTCHA_ALPHABET - 1);
	for (size_t i = 0; i + 1 < len; i++)
		out[i] = DRAW_CAPTCHA_ALPHABET[randombytes_uniform(n)];
	out[len - 1] = '\0';
}

int draw_captcha_matches(const char *expected, const char *answer)
{
	char a[DRAW_CAPTCHA_MAX_LEN + 1];
	size_t n = 0, elen;

	if (!expected || !answer)
		return 0;
	elen = strnlen(expected, DRAW_CAPTCHA_MAX_LEN + 1);
	if (elen == 0 || elen > DRAW_CAPTCHA_MAX_LEN)
		return 0;
	while (*answer == ' ' || *answer == '\t')
		answer++;
	size_t alen = strnlen(answer, 256);
	while (alen > 0 && (answer[alen - 1] == ' ' || answer[alen - 1] == '\t' ||
			    answer[alen - 1] == '\r' || answer[alen - 1] == '\n'))
		alen--;
	if (alen != elen)
		return 0;
	for (n = 0; n < alen; n++) {
		char c = answer[n];
		a[n] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	return sodium_memcmp(a, expected, elen) == 0;
}

/* Bilinear coverage of a glyph cell of the built-in font at (gx, gy). */
static double cell_cover(const gdFont *f, const char *cell, double gx, double gy)
{
	int ix = (int)floor(gx), iy = (int)floor(gy);
	double fx = gx - ix, fy = gy - iy, cover = 0.0;
	for (int k = 0; k < 4; k++) {
		int sx = ix + (k & 1), sy = iy + (k >> 1);
		if (sx < 0 || sy < 0 || sx >= f->w || sy >= f->h || !cell[sy * f->w + sx])
			continue;
		cover += ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
	}
	return cover;
}

/* One glyph of gd's built-in giant font (9x15), scaled and rotated by hand:
 * each target pixel is mapped back into the glyph cell and sampled
 * bilinearly, so the fallback stays smooth at three times its size. The
 * font's strokes are one pixel wide, so samples are also taken a little to
 * each side: that emboldens the glyph enough to survive the noise. */
static void fallback_glyph(gdImagePtr im, char ch, double cx, double cy, double scale,
			   double angle, struct rgb color)
{
	static const double nudge[][2] = {{0, 0}, {-0.45, 0}, {0.45, 0}, {0, -0.35}, {0, 0.35}};
	gdFontPtr f = gdFontGetGiant();
	int idx = (unsigned char)ch - f->offset;
	if (idx < 0 || idx >= f->nchars)
		return;
	const char *cell = f->data + (size_t)idx * (size_t)(f->w * f->h);
	double ca = cos(angle), sa = sin(angle);
	double reach = scale * sqrt((double)(f->w * f->w + f->h * f->h)) / 2.0 + 2.0;
	for (int y = (int)(cy - reach); y <= (int)(cy + reach); y++)
		for (int x = (int)(cx - reach); x <= (int)(cx + reach); x++) {
			double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
			/* Inverse rotation, then into cell coordinates. */
			double gx = (ca * dx + sa * dy) / scale + f->w / 2.0 - 0.5;
			double gy = (-sa * dx + ca * dy) / scale + f->h / 2.0 - 0.5;
			if (gx < -2 || gy < -2 || gx > f->w + 1 || gy > f->h + 1)
				continue;
			double cover = 0.0;
			for (size_t k = 0; k < sizeof nudge / sizeof nudge[0]; k++)
				cover = fmax(cover, cell_cover(f, cell, gx + nudge[k][0], gy + nudge[k][1]));
			blend(im, x, y, color, smoothstep(cover * 1.4));
		}
}

/* Dark, saturated and varied: a different hue for every character keeps
 * colour separation from isolating the text, low lightness keeps it legible
 * on the pale background. */
static struct rgb ink(void)
{
	return hsl(rand_range(0, 360), rand_range(0.55, 0.9), rand_range(0.18, 0.34));
}

static void thick_curve(gdImagePtr im, double x0, double y0, double x1, double y1, double amp,
			double waves, double width, struct rgb color, double alpha)
{
	double phase = rand_range(0, 2 * M_PI);
	double len = hypot(x1 - x0, y1 - y0);
	int steps = (int)(len * 2) + 1;
	for (int i = 0; i <= steps; i++) {
		double t = (double)i / steps;
		double x = x0 + (x1 - x0) * t;
		double y = y0 + (y1 - y0) * t + amp * sin(waves * t * 2 * M_PI + phase);
		for (int dy = (int)floor(-width); dy <= (int)ceil(width); dy++)
			for (int dx = (int)floor(-width); dx <= (int)ceil(width); dx++) {
				double px = floor(x) + dx + 0.5, py = floor(y) + dy + 0.5;
				double d = hypot(px - x, py - y);
				double cover = clamp01(width / 2.0 - d + 0.5);
				if (cover > 0) {
					int ix = (int)px, iy = (int)py;
					if (ix < 0 || iy < 0 || ix >= gdImageSX(im) || iy >= gdImageSY(im))
						continue;
					/* Max, not sum, so overlapping steps do not darken. */
					struct rgb cur = from_gd(im->tpixels[iy][ix]);
					struct rgb want = mix(cur, color, cover * alpha);
					double lum_cur = cur.r + cur.g + cur.b;
					double lum_want = want.r + want.g + want.b;
					if (lum_want < lum_cur)
						im->tpixels[iy][ix] = to_gd(want);
				}
			}
	}
}

static void paint_background(gdImagePtr im)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	double hue = rand_range(0, 360);
	struct rgb a = hsl(hue, 0.55, 0.93), b = hsl(hue + rand_range(60, 180), 0.5, 0.88);
	double ang = rand_range(0, 2 * M_PI), ca = cos(ang), sa = sin(ang);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double t = 0.5 + ((x - w / 2.0) * ca + (y - h / 2.0) * sa) / w;
			im->tpixels[y][x] = to_gd(mix(a, b, clamp01(t)));
		}
	/* Pale blotches: texture that makes a global threshold less clean. */
	for (int i = 0; i < 8; i++) {
		double cx = rand_range(0, w), cy = rand_range(0, h), rr = rand_range(8, 26);
		struct rgb c = hsl(rand_range(0, 360), 0.5, rand_range(0.75, 0.86));
		for (int y = (int)(cy - rr); y <= (int)(cy + rr); y++)
			for (int x = (int)(cx - rr); x <= (int)(cx + rr); x++) {
				double d = hypot(x - cx, y - cy) / rr;
				if (d < 1.0)
					blend(im, x, y, c, 0.5 * (1 - smoothstep(d)));
			}
	}
}

/* Draws the characters; returns 0, or -1 when FreeType cannot be used (the
 * caller then draws with the fallback font). */
static int paint_text_ft(gdImagePtr im, const char *code, size_t n)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	double slot = (w - 20.0) / (double)n;
	/* Long codes get smaller, less tilted glyphs, or they would merge. */
	static const double pts[] = {30, 28, 26, 23, 21}; /* for 4..8 characters */
	static const double tilt[] = {0.45, 0.45, 0.4, 0.3, 0.26};
	double base_pt = pts[n - DRAW_CAPTCHA_MIN_LEN], max_tilt = tilt[n - DRAW_CAPTCHA_MIN_LEN];
	char font[sizeof font_path];

	snprintf(font, sizeof font, "%s", font_path);
	if (access(font, R_OK) != 0 || !font_cache_ready())
		return -1;
	for (size_t i = 0; i < n; i++) {
		char s[2] = {code[i], '\0'};
		int br[8];
		double pt = base_pt * rand_range(0.88, 1.15);
		double angle = rand_range(-max_tilt, max_tilt);
		/* Measure first (NULL image), so each glyph can be centred in its
		 * slot whatever its rotation. */
		char *err = gdImageStringFT(NULL, br, 0, font, pt, angle, 0, 0, s);
		if (err) {
			log_warn("draw: FreeType cannot render with %s (%s); using the built-in font",
				 font, err);
			return -1;
		}
		double cx = 10 + slot * (i + 0.5) + rand_range(-slot * 0.15, slot * 0.15);
		double cy = h / 2.0 + rand_range(-7, 7);
		int minx = br[0], maxx = br[0], miny = br[1], maxy = br[1];
		for (int k = 0; k < 8; k += 2) {
			minx = br[k] < minx ? br[k] : minx;
			maxx = br[k] > maxx ? br[k] : maxx;
			miny = br[k + 1] < miny ? br[k + 1] : miny;
			maxy = br[k + 1] > maxy ? br[k + 1] : maxy;
		}
		int x = (int)(cx - (minx + maxx) / 2.0);
		int y = (int)(cy - (miny + maxy) / 2.0);
		/* Keep the whole glyph inside, with a small margin for the waves. */
		if (y + miny < 4)
			y = 4 - miny;
		if (y + maxy > h - 4)
			y = h - 4 - maxy;
		if (x + minx < 2)
			x = 2 - minx;
		if (x + maxx > w - 2)
			x = w - 2 - maxx;
		struct rgb c = ink();
		int color = gdTrueColor(channel(c.r), channel(c.g), channel(c.b));
		err = gdImageStringFT(im, br, color, font, pt, angle, x, y, s);
		if (err) {
			log_warn("draw: FreeType failed mid-way (%s)", err);
			return -1;
		}
	}
	return 0;
}

static void paint_text_fallback(gdImagePtr im, const char *code, size_t n)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	double slot = (w - 20.0) / (double)n;
	double base = n <= 5 ? 3.0 : (n == 6 ? 2.7 : 2.2);
	for (size_t i = 0; i < n; i++) {
		double cx = 10 + slot * (i + 0.5) + rand_range(-slot * 0.12, slot * 0.12);
		double cy = h / 2.0 + rand_range(-6, 6);
		fallback_glyph(im, code[i], cx, cy, base * rand_range(0.85, 1.15),
			       rand_range(-0.4, 0.4), ink());
	}
}

/* Moves every pixel along two sine waves (horizontal shift varying with y,
 * vertical shift varying with x), sampling the source bilinearly. */
static int wave(gdImagePtr *imp)
{
	gdImagePtr src = *imp;
	int w = gdImageSX(src), h = gdImageSY(src);
	gdImagePtr dst = gdImageCreateTrueColor(w, h);
	if (!dst)
		return -1;
	double ax = rand_range(2.0, 4.0), px = rand_range(25, 45), ppx = rand_range(0, 2 * M_PI);
	double ay = rand_range(3.0, 5.5), py = rand_range(60, 110), ppy = rand_range(0, 2 * M_PI);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double sx = x + ax * sin(2 * M_PI * y / px + ppx);
			double sy = y + ay * sin(2 * M_PI * x / py + ppy);
			sx = sx < 0 ? 0 : (sx > w - 1 ? w - 1 : sx);
			sy = sy < 0 ? 0 : (sy > h - 1 ? h - 1 : sy);
			int x0 = (int)sx, y0 = (int)sy;
			int x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
			double fx = sx - x0, fy = sy - y0;
			struct rgb top = mix(from_gd(src->tpixels[y0][x0]), from_gd(src->tpixels[y0][x1]), fx);
			struct rgb bot = mix(from_gd(src->tpixels[y1][x0]), from_gd(src->tpixels[y1][x1]), fx);
			dst->tpixels[y][x] = to_gd(mix(top, bot, fy));
		}
	gdImageDestroy(src);
	*imp = dst;
	return 0;
}

static void speckle(gdImagePtr im)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	for (int i = 0; i < 500; i++) {
		int x = (int)randombytes_uniform((uint32_t)w), y = (int)randombytes_uniform((uint32_t)h);
		struct rgb c = randombytes_uniform(3) ? hsl(rand_range(0, 360), 0.6, rand_range(0.25, 0.6))
						       : hsl(0, 0, rand_range(0.9, 1.0));
		double a = rand_range(0.4, 0.9);
		blend(im, x, y, c, a);
		if (randombytes_uniform(4) == 0)
			blend(im, x + 1, y, c, a * 0.7);
	}
}

int draw_captcha_png(const char *code, unsigned char **png, size_t *len)
{
	gdImagePtr im = NULL;
	void *out = NULL;
	int size = 0, rc = -1;
	size_t n;

	if (!code || !png || !len) {
		log_error("draw: CAPTCHA called without code or output");
		return -1;
	}
	n = strnlen(code, DRAW_CAPTCHA_MAX_LEN + 1);
	if (n < DRAW_CAPTCHA_MIN_LEN || n > DRAW_CAPTCHA_MAX_LEN) {
		log_error("draw: CAPTCHA code must have %d..%d characters", DRAW_CAPTCHA_MIN_LEN,
			  DRAW_CAPTCHA_MAX_LEN);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!in_alphabet(code[i])) {
			log_error("draw: CAPTCHA code has a character outside the alphabet");
			return -1;
		}
	if (sodium_init() < 0) {
		log_error("draw: libsodium cannot start");
		return -1;
	}
	im = gdImageCreateTrueColor(DRAW_CAPTCHA_WIDTH, DRAW_CAPTCHA_HEIGHT);
	if (!im) {
		log_error("draw: out of memory for a CAPTCHA");
		return -1;
	}
	gdImageAlphaBlending(im, 1);
	paint_background(im);

	/* One faint curve under the text, then the text, then the waves bend
	 * both; more lines come after, so they are not bent the same way. */
	thick_curve(im, -5, rand_range(15, 55), DRAW_CAPTCHA_WIDTH + 5, rand_range(15, 55),
		    rand_range(4, 12), rand_range(0.5, 1.5), 1.6, ink(), 0.7);
	if (paint_text_ft(im, code, n) != 0)
		paint_text_fallback(im, code, n);
	if (wave(&im) != 0) {
		log_error("draw: out of memory for a CAPTCHA");
		goto done;
	}
	for (int i = 0; i < 2; i++)
		thick_curve(im, rand_range(-10, 40), rand_range(10, 60),
			    rand_range(DRAW_CAPTCHA_WIDTH - 40, DRAW_CAPTCHA_WIDTH + 10),
			    rand_range(10, 60), rand_range(6, 16), rand_range(0.4, 1.2),
			    rand_range(1.3, 2.0), ink(), 0.9);
	speckle(im);

	out = gdImagePngPtrEx(im, &size, 6);
	if (!out || size <= 0) {
		log_error("draw: PNG encoding failed for a CAPTCHA");
		goto done;
	}
	unsigned char *copy = malloc((size_t)size);
	if (!copy) {
		log_error("draw: out of memory for a CAPTCHA");
		goto done;
	}
	memcpy(copy, out, (size_t)size);
	*png = copy;
	*len = (size_t)size;
	rc = 0;
done:
	if (out)
		gdFree(out);
	gdImageDestroy(im);
	return rc;
}
