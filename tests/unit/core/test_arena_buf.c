/*
 * test_arena_buf.c - the request arena and the growable buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"

/* ------------------------------------------------------------------ */
/* Arena                                                              */
/* ------------------------------------------------------------------ */

static void test_arena_alignment_and_used(void **state)
{
	(void)state;
	arena_t *a = arena_new(0); /* rounded up to a minimum block */
	assert_non_null(a);
	assert_int_equal(arena_used(a), 0);
	size_t sizes[] = {1, 3, 16, 17, 0, 100, 7};
	size_t want = 0;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = arena_alloc(a, sizes[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		/* The memory is usable to its last byte (ASan checks). */
		memset(p, 0xab, sizes[i]);
		size_t s = sizes[i] ? sizes[i] : 1;
		want += (s + 15) & ~(size_t)15;
		assert_int_equal(arena_used(a), want);
	}
	arena_free(a);
	arena_free(NULL);
}

static void test_arena_blocks_do_not_overlap(void **state)
{
	(void)state;
	arena_t *a = arena_new(1024);
	assert_non_null(a);
	enum { N = 3000 };
	unsigned char *ptrs[N];
	size_t lens[N];
	for (int i = 0; i < N; i++) {
		lens[i] = (size_t)(i * 37 % 700) + 1;
		ptrs[i] = arena_alloc(a, lens[i]);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
		memset(ptrs[i], i & 0xff, lens[i]);
	}
	/* Every allocation still holds its own pattern: nothing overlapped. */
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < lens[i]; k++)
			if (ptrs[i][k] != (unsigned char)(i & 0xff))
				fail_msg("allocation %d byte %zu overwritten", i, k);
	/* One allocation much larger than any block so far. */
	unsigned char *big = arena_alloc(a, 5 << 20);
	assert_non_null(big);
	memset(big, 1, 5 << 20);
	arena_free(a);
}

static void test_arena_reset(void **state)
{
	(void)state;
	arena_t *a = arena_new(4096);
	assert_non_null(a);
	void *first = arena_alloc(a, 64);
	for (int i = 0; i < 100; i++)
		assert_non_null(arena_alloc(a, 1000)); /* forces new blocks */
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	/* The first block is reused from its start. */
	void *again = arena_alloc(a, 64);
	assert_ptr_equal(first, again);
	for (int i = 0; i < 100; i++)
		memset(arena_alloc(a, 1000), 2, 1000);
	arena_reset(a);
	arena_reset(a);
	assert_non_null(arena_alloc(a, 10));
	arena_free(a);
}

static void test_arena_strings(void **state)
{
	(void)state;
	arena_t *a = arena_new(0);
	assert_non_null(a);
	char *s = arena_strdup(a, "Điện Biên Phủ");
	assert_string_equal(s, "Điện Biên Phủ");
	char *n = arena_strndup(a, "abcdef", 3);
	assert_string_equal(n, "abc");
	char *e = arena_strndup(a, "", 0);
	assert_string_equal(e, "");
	char *f = arena_sprintf(a, "%s-%d-%05.1f", "x", 42, 3.14159);
	assert_string_equal(f, "x-42-003.1");
	/* Longer than the first block. */
	char *longs = arena_sprintf(a, "%5000d", 7);
	assert_int_equal(strlen(longs), 5000);
	assert_int_equal(longs[4999], '7');
	assert_int_equal(longs[0], ' ');
	/* Earlier strings are untouched. */
	assert_string_equal(s, "Điện Biên Phủ");
	assert_string_equal(f, "x-42-003.1");
	assert_null(arena_strndup(a, "x", SIZE_MAX));
	arena_free(a);
}

static void test_arena_calloc_overflow(void **state)
{
	(void)state;
	arena_t *a = arena_new(0);
	assert_non_null(a);
	int *z = arena_calloc(a, 100, sizeof(int));
	assert_non_null(z);
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	assert_false(arena_failed(a));
	assert_null(arena_calloc(a, SIZE_MAX / 2, 4));
	/* A refused allocation is remembered until the arena is reset, so the
	 * server answers 500 rather than whatever the caller fell back to. */
	assert_true(arena_failed(a));
	assert_null(arena_calloc(a, SIZE_MAX, SIZE_MAX));
	assert_null(arena_alloc(a, SIZE_MAX));
	assert_null(arena_alloc(a, SIZE_MAX - 8));
	assert_non_null(arena_calloc(a, 0, 8));
	assert_non_null(arena_calloc(a, 8, 0));
	/* Still usable after refusals. */
	assert_string_equal(arena_strdup(a, "ok"), "ok");
	assert_true(arena_failed(a));
	arena_reset(a);
	assert_false(arena_failed(a));
	assert_null(arena_alloc(a, SIZE_MAX));
	assert_true(arena_failed(a));
	arena_free(a);
	assert_false(arena_failed(NULL));
}

/* ------------------------------------------------------------------ */
/* Buffer                                                             */
/* ------------------------------------------------------------------ */

static void test_buf_append(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_append(&b, NULL, 0), 0);
	assert_int_equal(buf_puts(&b, "Điện"), 0);
	assert_int_equal(buf_putc(&b, ' '), 0);
	assert_int_equal(buf_append(&b, "Biên Phủ!!!", strlen("Biên Phủ")), 0);
	assert_string_equal(b.data, "Điện Biên Phủ");
	assert_int_equal(b.len, strlen("Điện Biên Phủ"));
	/* Growth keeps the content and the terminator. */
	for (int i = 0; i < 10000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, strlen("Điện Biên Phủ") + 10000);
	assert_int_equal(b.data[b.len], '\0');
	assert_true(b.size > b.len);
	assert_int_equal(strncmp(b.data, "Điện Biên Phủ", strlen("Điện Biên Phủ")), 0);
	assert_int_equal(b.data[b.len - 1], 'a' + 9999 % 26);
	assert_int_equal(b.failed, 0);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.size, 0);
}

static void test_buf_printf(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	assert_int_equal(buf_printf(&b, "%d/%02d/%s", 18, 1, "2021"), 0);
	assert_string_equal(b.data, "18/01/2021");
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 10);
	assert_int_equal(buf_printf(&b, " %3000s|", "x"), 0);
	assert_int_equal(b.len, 10 + 1 + 3000 + 1);
	assert_int_equal(b.data[b.len - 1], '|');
	assert_int_equal(b.data[b.len - 2], 'x');
	buf_free(&b);
}

static void test_buf_html(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	const char *s = "<a href=\"x\">Tom & Jerry's</a> Điện";
	assert_int_equal(buf_append_html(&b, s, strlen(s)), 0);
	assert_string_equal(b.data,
		"&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; Điện");
	buf_clear(&b);
	assert_int_equal(buf_append_html(&b, "", 0), 0);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_append_html(&b, "&&", 1), 0); /* only len bytes */
	assert_string_equal(b.data, "&amp;");
	assert_int_equal(buf_append_html(&b, "a\0<", 3), 0);
	assert_int_equal(b.len, 5 + 1 + 1 + 4);
	assert_memory_equal(b.data + 5, "a\0&lt;", 6);
	buf_free(&b);
}

static void test_buf_cap(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	b.cap = 10;
	assert_int_equal(buf_puts(&b, "0123456789"), 0); /* exactly the cap */
	assert_int_equal(b.len, 10);
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(b.failed, 1);
	assert_string_equal(b.data, "0123456789"); /* content kept */
	/* Sticky: even an append that would fit fails until buf_clear(). */
	assert_int_equal(buf_append(&b, "", 0), -1);
	assert_null(buf_detach(&b, NULL));
	buf_clear(&b);
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_printf(&b, "%s", "01234567890"), -1);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_clear(&b);
	assert_int_equal(buf_append_html(&b, "<<<", 3), -1); /* 12 bytes > 10 */
	assert_int_equal(b.failed, 1);
	buf_clear(&b);
	/* The cap survives buf_free(). */
	buf_free(&b);
	assert_int_equal(b.cap, 10);
	assert_int_equal(buf_puts(&b, "01234567890"), -1);
	buf_free(&b);
}

static void test_buf_detach_clear(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	size_t len = 99;
	char *p = buf_detach(&b, &len); /* empty buffer: "" */
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	assert_int_equal(buf_puts(&b, "hello"), 0);
	p = buf_detach(&b, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.size, 0);
	free(p);
	/* The buffer is usable again. */
	assert_int_equal(buf_puts(&b, "again"), 0);
	buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_true(b.size > 0); /* memory kept */
	buf_free(&b);
	buf_clear(&b); /* on an empty buffer */
	assert_int_equal(b.len, 0);
}

/*
 * Appending part of a buffer to itself used to read freed memory when the
 * append had to grow the storage (realloc moved it). Fixed in buf.c.
 */
static void test_buf_self_append(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "ab"), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(buf_append(&b, b.data, b.len), 0); /* doubles each time */
	assert_int_equal(b.len, 2u << 12);
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] != (i % 2 ? 'b' : 'a'))
			fail_msg("byte %zu", i);
	/* The tail of itself. */
	buf_clear(&b);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	while (b.len < 5000)
		assert_int_equal(buf_append(&b, b.data + b.len - 3, 3), 0);
	assert_int_equal(b.data[b.len], '\0');
	/* printf with an argument that points into the buffer. */
	buf_clear(&b);
	for (int i = 0; i < 200; i++)
		assert_int_equal(buf_putc(&b, 'x'), 0);
	assert_int_equal(buf_printf(&b, "[%s]", b.data), 0);
	assert_int_equal(b.len, 402);
	assert_int_equal(b.data[200], '[');
	assert_int_equal(b.data[401], ']');
	assert_int_equal(b.data[300], 'x');
	/* HTML-escaping part of the buffer into itself. */
	buf_clear(&b);
	for (int i = 0; i < 100; i++)
		assert_int_equal(buf_puts(&b, "<&>"), 0);
	assert_int_equal(buf_append_html(&b, b.data, b.len), 0);
	assert_int_equal(b.len, 300 + 100 * 13);
	assert_int_equal(strncmp(b.data + 300, "&lt;&amp;&gt;", 13), 0);
	assert_int_equal(strncmp(b.data + b.len - 13, "&lt;&amp;&gt;", 13), 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alignment_and_used),
		cmocka_unit_test(test_arena_blocks_do_not_overlap),
		cmocka_unit_test(test_arena_reset),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_arena_calloc_overflow),
		cmocka_unit_test(test_buf_append),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_html),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_detach_clear),
		cmocka_unit_test(test_buf_self_append),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
