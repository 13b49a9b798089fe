/*
 * test_text.c - UTF-8 checks, NFC, Vietnamese folding, tone placement, slugs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "core/text.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static char result[4096];

/* What fn (text_fold, text_normalize, text_nfc) makes of s, in result. */
static const char *apply(int (*fn)(const char *, size_t, buf_t *), const char *s)
{
	buf_t b = BUF_INIT;
	assert_int_equal(fn(s, strlen(s), &b), 0);
	assert_non_null(b.data);
	assert_true(b.len < sizeof result);
	memcpy(result, b.data, b.len + 1);
	buf_free(&b);
	return result;
}

static const char *fold(const char *s)
{
	return apply(text_fold, s);
}

static const char *norm(const char *s)
{
	return apply(text_normalize, s);
}

static const char *nfc(const char *s)
{
	return apply(text_nfc, s);
}

static const char *slug(const char *s)
{
	static char out[128];
	size_t n = text_slug(s, strlen(s), out, sizeof out);
	assert_int_equal(n, strlen(out));
	return out;
}

/* NFD of s (to build decomposed input); the caller frees. */
static char *nfd(const char *s)
{
	char *d = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
	assert_non_null(d);
	return d;
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                              */
/* ------------------------------------------------------------------ */

static void test_utf8_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len;
		bool ok;
	} cases[] = {
		{"", 0, true},
		{"abc", 3, true},
		{"Điện Biên Phủ", sizeof "Điện Biên Phủ" - 1, true},
		{"\xF0\x9F\x8F\x9B", 4, true},      /* U+1F3DB classical building */
		{"\xF4\x8F\xBF\xBF", 4, true},      /* U+10FFFF, the last one */
		{"\xED\x9F\xBF", 3, true},          /* U+D7FF, just below surrogates */
		{"\xEE\x80\x80", 3, true},          /* U+E000, just above */
		{"\xC2\x80", 2, true},              /* U+0080, smallest two-byte */
		{"a\0b", 3, false},                 /* NUL */
		{"\xC0\xAF", 2, false},             /* overlong '/' */
		{"\xC1\xBF", 2, false},             /* overlong */
		{"\xE0\x80\xAF", 3, false},         /* overlong, three bytes */
		{"\xE0\x9F\xBF", 3, false},         /* overlong U+07FF */
		{"\xF0\x80\x80\xAF", 4, false},     /* overlong, four bytes */
		{"\xF0\x8F\xBF\xBF", 4, false},     /* overlong U+FFFF */
		{"\xED\xA0\x80", 3, false},         /* U+D800 surrogate */
		{"\xED\xBF\xBF", 3, false},         /* U+DFFF surrogate */
		{"\xF4\x90\x80\x80", 4, false},     /* U+110000 */
		{"\xF5\x80\x80\x80", 4, false},     /* lead byte F5 */
		{"\xFF", 1, false},
		{"\x80", 1, false},                 /* stray continuation */
		{"\xE1\xBB", 2, false},             /* truncated ệ */
		{"Đi\xE1\xBB", 6, false},           /* truncated inside a word */
		{"\xC3\x28", 2, false},             /* bad continuation */
		{"\xE2\x82\x28", 3, false},
		{"\xF0\x9F\x8F\x28", 4, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (utf8_valid(cases[i].s, cases[i].len) != cases[i].ok)
			fail_msg("case %zu", i);
	}
}

static void test_utf8_cut_length(void **state)
{
	(void)state;
	const char *s = "Điện"; /* Đ: 2 bytes, i: 1, ệ: 3, n: 1 */
	size_t len = strlen(s);
	assert_int_equal(len, 7);
	assert_int_equal(utf8_cut(s, len, 0), 0);
	assert_int_equal(utf8_cut(s, len, 1), 0); /* inside Đ */
	assert_int_equal(utf8_cut(s, len, 2), 2);
	assert_int_equal(utf8_cut(s, len, 3), 3);
	assert_int_equal(utf8_cut(s, len, 4), 3); /* inside ệ */
	assert_int_equal(utf8_cut(s, len, 5), 3);
	assert_int_equal(utf8_cut(s, len, 6), 6);
	assert_int_equal(utf8_cut(s, len, 7), 7);
	assert_int_equal(utf8_cut(s, len, 100), 7);
	const char *emoji = "a\xF0\x9F\x8F\x9B"; /* a + 4-byte emoji */
	for (size_t m = 1; m < 5; m++)
		assert_int_equal(utf8_cut(emoji, 5, m), 1);
	assert_int_equal(utf8_cut(emoji, 5, 5), 5);

	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length(s, len), 4);
	assert_int_equal(utf8_length("Điện Biên Phủ", strlen("Điện Biên Phủ")), 13);
	assert_int_equal(utf8_length(emoji, 5), 2);
	char *d = nfd("ệ");
	assert_int_equal(utf8_length(d, strlen(d)), 3); /* e + dot below + circumflex */
	free(d);
}

/* ------------------------------------------------------------------ */
/* Folding                                                            */
/* ------------------------------------------------------------------ */

/* The 12 Vietnamese vowels, each without tone and with the 5 tones. */
static const struct {
	const char *lower, *upper;
	char base;
} vowels[] = {
	{"aàáảãạ", "AÀÁẢÃẠ", 'a'},
	{"ăằắẳẵặ", "ĂẰẮẲẴẶ", 'a'},
	{"âầấẩẫậ", "ÂẦẤẨẪẬ", 'a'},
	{"eèéẻẽẹ", "EÈÉẺẼẸ", 'e'},
	{"êềếểễệ", "ÊỀẾỂỄỆ", 'e'},
	{"iìíỉĩị", "IÌÍỈĨỊ", 'i'},
	{"oòóỏõọ", "OÒÓỎÕỌ", 'o'},
	{"ôồốổỗộ", "ÔỒỐỔỖỘ", 'o'},
	{"ơờớởỡợ", "ƠỜỚỞỠỢ", 'o'},
	{"uùúủũụ", "UÙÚỦŨỤ", 'u'},
	{"ưừứửữự", "ƯỪỨỬỮỰ", 'u'},
	{"yỳýỷỹỵ", "YỲÝỶỸỴ", 'y'},
};

static void test_fold_all_vowels_and_tones(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof vowels / sizeof vowels[0]; v++) {
		char want[7];
		memset(want, vowels[v].base, 6);
		want[6] = '\0';
		assert_string_equal(fold(vowels[v].lower), want);
		assert_string_equal(fold(vowels[v].upper), want);
		/* The same letters decomposed (NFD) fold the same. */
		char *d = nfd(vowels[v].upper);
		assert_string_equal(fold(d), want);
		free(d);
		/* And one by one, each letter is a single code point in NFC. */
		const char *p = vowels[v].lower;
		for (int k = 0; k < 6; k++) {
			int32_t cp;
			utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
			assert_true(n > 0);
			char one[8] = {0};
			memcpy(one, p, (size_t)n);
			char w[2] = {vowels[v].base, '\0'};
			assert_string_equal(fold(one), w);
			p += n;
		}
	}
}

static void test_fold_two_marks(void **state)
{
	(void)state;
	/* Letters carrying a vowel mark and a tone. */
	assert_string_equal(fold("ắ ằ ẳ ẵ ặ"), "a a a a a");
	assert_string_equal(fold("ấ ầ ẩ ẫ ậ"), "a a a a a");
	assert_string_equal(fold("ế ề ể ễ ệ"), "e e e e e");
	assert_string_equal(fold("ố ồ ổ ỗ ộ"), "o o o o o");
	assert_string_equal(fold("ớ ờ ở ỡ ợ"), "o o o o o");
	assert_string_equal(fold("ứ ừ ử ữ ự"), "u u u u u");
	assert_string_equal(fold("Ắ Ố Ứ Ặ Ờ Ự"), "a o u a o u");
	assert_string_equal(fold("Trường Sơn"), "truong son");
	assert_string_equal(fold("Nguyễn Thị Định"), "nguyen thi dinh");
	assert_string_equal(fold("Võ Nguyên Giáp"), "vo nguyen giap");
	assert_string_equal(fold("Mường Thanh, Hồng Cúm"), "muong thanh, hong cum");
	assert_string_equal(fold("ĐỒI A1"), "doi a1");
}

static void test_fold_d_lookalikes(void **state)
{
	(void)state;
	assert_string_equal(fold("đ"), "d");
	assert_string_equal(fold("Đ"), "d");
	assert_string_equal(fold("\xC3\x90"), "d");     /* U+00D0 Ð */
	assert_string_equal(fold("\xC3\xB0"), "d");     /* U+00F0 ð, its fold */
	assert_string_equal(fold("\xC6\x89"), "d");     /* U+0189 Ɖ */
	assert_string_equal(fold("\xC9\x96"), "d");     /* U+0256 ɖ */
	assert_string_equal(fold("\xC3\x90i\xE1\xBB\x87n Bi\xC3\xAAn"), "dien bien");
	assert_string_equal(fold("\xC6\x89I\xE1\xBB\x86N"), "dien");
	/* Other letters with a stroke are not d. */
	assert_string_equal(fold("ħ"), "ħ");
}

static void test_fold_dien_bien_phu(void **state)
{
	(void)state;
	const char *forms[] = {
		"Điện Biên Phủ", "DIEN BIEN PHU", "điện biên phủ", "ĐIỆN BIÊN PHỦ",
		"Dien Bien Phu", "dien bien phu",
		/* NFD written by hand: Đ i e + dot below + circumflex n ... */
		"\xC4\x90ie\xCC\xA3\xCC\x82n Bie\xCC\x82n Phu\xCC\x89",
		/* NFD with the marks in the other order (not canonical order) */
		"\xC4\x90ie\xCC\x82\xCC\xA3n Bie\xCC\x82n Phu\xCC\x89",
		/* Ð (eth) typed for Đ */
		"\xC3\x90i\xE1\xBB\x87n Bi\xC3\xAAn Ph\xE1\xBB\xA7",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		if (strcmp(fold(forms[i]), "dien bien phu") != 0)
			fail_msg("form %zu folded to '%s'", i, result);
	}
	char *d = nfd("Điện Biên Phủ");
	assert_string_equal(fold(d), "dien bien phu");
	free(d);
}

static void test_fold_nfd_equals_nfc(void **state)
{
	(void)state;
	const char *texts[] = {
		"Hội nghị triển khai nhiệm vụ công tác năm 2021",
		"Bảo tàng Chiến thắng lịch sử Điện Biên Phủ",
		"Sưu tầm tài liệu, hiện vật; Tổ chức trưng bày, triển lãm",
		"Khoẻ, hoà bình, thuỷ lợi, Quý khách",
		"ĂN QUẢ NHỚ KẺ TRỒNG CÂY",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char nfc_fold[512];
		snprintf(nfc_fold, sizeof nfc_fold, "%s", fold(texts[i]));
		char *d = nfd(texts[i]);
		assert_string_equal(fold(d), nfc_fold);
		free(d);
	}
	assert_string_equal(fold(texts[0]), "hoi nghi trien khai nhiem vu cong tac nam 2021");
}

static void test_fold_other_scripts(void **state)
{
	(void)state;
	assert_string_equal(fold("Straße"), "strasse");
	assert_string_equal(fold("İSTANBUL"), "istanbul");
	assert_string_equal(fold("Crème Brûlée"), "creme brulee");
	assert_string_equal(fold("ΑΘΗΝΑ Ἀθῆναι"), "αθηνα αθηναι");
	assert_string_equal(fold("한국어"), "한국어");   /* Hangul stays composed */
	assert_string_equal(fold("北京"), "北京");
	assert_string_equal(fold("e\xCC\x81"), "e");      /* e + combining acute */
	assert_string_equal(fold("\xCC\x81"), "");        /* a lone mark */
	assert_string_equal(fold("ABC xyz 123 !?"), "abc xyz 123 !?");
	assert_string_equal(fold(""), "");
}

static void test_fold_rejects_bad_utf8(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "keep"), 0);
	const char *bad[] = {"\xC0\xAF", "Đi\xE1\xBB", "\xED\xA0\x80", "\xF4\x90\x80\x80",
		"abc\xFF", "\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(text_fold(bad[i], strlen(bad[i]), &b), -1);
		assert_int_equal(text_normalize(bad[i], strlen(bad[i]), &b), -1);
		assert_string_equal(b.data, "keep");
		assert_int_equal(b.len, 4);
	}
	/* NUL inside the text, ASCII or not. */
	assert_int_equal(text_fold("ab\0c", 4, &b), -1);
	assert_int_equal(text_fold("Đ\0c", 4, &b), -1);
	assert_int_equal(text_normalize("ab\0c", 4, &b), -1);
	assert_string_equal(b.data, "keep");
	buf_free(&b);
}

static void test_fold_appends(void **state)
{
	(void)state;
	buf_t b = BUF_INIT;
	assert_int_equal(buf_puts(&b, "x:"), 0);
	assert_int_equal(text_fold("Điện", strlen("Điện"), &b), 0);
	assert_int_equal(text_fold(" ABC", 4, &b), 0);
	assert_string_equal(b.data, "x:dien abc");
	assert_int_equal(b.len, 10);
	buf_free(&b);
}

static void test_fold_long_non_latin(void **state)
{
	(void)state;
	/* A run longer than the stack buffer takes the heap path. */
	buf_t in = BUF_INIT, out = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_puts(&in, "Ἀθῆ"), 0);
	assert_int_equal(text_fold(in.data, in.len, &out), 0);
	assert_int_equal(utf8_length(out.data, out.len), 3000);
	assert_true(utf8_valid(out.data, out.len));
	buf_clear(&out);
	/* Many marks on one letter. */
	buf_clear(&in);
	assert_int_equal(buf_puts(&in, "a"), 0);
	for (int i = 0; i < 600; i++)
		assert_int_equal(buf_puts(&in, "\xCC\x81\xCC\xA3"), 0);
	assert_int_equal(text_fold(in.data, in.len, &out), 0);
	assert_string_equal(out.data, "a");
	buf_free(&in);
	buf_free(&out);
}

/* ------------------------------------------------------------------ */
/* Tone placement                                                     */
/* ------------------------------------------------------------------ */

static void test_normalize_old_to_new(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{"hoà", "hòa"}, {"hoá", "hóa"}, {"hoả", "hỏa"}, {"hoã", "hõa"}, {"hoạ", "họa"},
		{"thuý", "thúy"}, {"thuỳ", "thùy"}, {"thuỷ", "thủy"}, {"thuỹ", "thũy"},
		{"thuỵ", "thụy"}, {"oà", "òa"}, {"hoè", "hòe"}, {"khoẻ", "khỏe"}, {"loè", "lòe"},
		{"uỷ", "ủy"}, {"Uỷ ban", "Ủy ban"}, {"toà", "tòa"}, {"ngoà", "ngòa"},
		{"nguỵ", "ngụy"}, {"tuý", "túy"}, {"Đoà", "Đòa"}, {"xoè", "xòe"}, {"choà", "chòa"},
		{"HOÀ", "HÒA"}, {"Hoà", "Hòa"}, {"THUÝ", "THÚY"}, {"KHOẺ", "KHỎE"},
		{"hoÀ", "hòA"}, {"HoÀ", "HòA"},
		{"Hoà bình", "Hòa bình"},
		{"Cộng hoà xã hội chủ nghĩa", "Cộng hòa xã hội chủ nghĩa"},
		{"(hoà)", "(hòa)"}, {"hoà,thuý.", "hòa,thúy."}, {"hoà-bình", "hòa-bình"},
		{"Sức khoẻ, thuỷ lợi, hoà giải", "Sức khỏe, thủy lợi, hòa giải"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if (strcmp(norm(pairs[i][0]), pairs[i][1]) != 0)
			fail_msg("'%s' -> '%s', want '%s'", pairs[i][0], result, pairs[i][1]);
		/* The new style is a fixed point, and NFD input gives NFC output. */
		if (strcmp(norm(pairs[i][1]), pairs[i][1]) != 0)
			fail_msg("'%s' changed to '%s'", pairs[i][1], result);
		char *d = nfd(pairs[i][0]);
		if (strcmp(norm(d), pairs[i][1]) != 0)
			fail_msg("NFD of '%s' -> '%s'", pairs[i][0], result);
		free(d);
	}
}

static void test_normalize_leaves_others(void **state)
{
	(void)state;
	static const char *const same[] = {
		"hoàng", "Hoàng", "HOÀNG", "hoạch", "toàn", "khoáng", "hoàn", /* final consonant */
		"quý", "Quý", "QUÝ", "quỳ", "quỷ", "quỹ", "quỵ", "quả", "quà",  /* qu onset */
		"quỳnh", "huỳnh", "khuya", "khuyến", "hoài", "xoáy", "ngoáy",     /* longer */
		"thuở", "thuồng", "hoặc", "khoắn", "khuỷu", "ngoằn",
		"Goa", "samoa", "aloha", "oa", "uy", "hoa", "thuy",                /* no tone */
		"hòa", "thúy", "òa", "ủy", "khỏe",                                 /* new style */
		"pizza", "Điện Biên Phủ", "2021", "", "!!!", "🏛️",
		"broà", "stoà", "wuý", /* onsets that are not Vietnamese */
		"hòà", "thúý", "hỏà",  /* two tone marks: not a syllable we know */
		"hôà", "hơà", "hoằ",   /* vowel marks other than tones */
		"hoàß", "ßhoà",        /* other letters in the word */
		"ho\xC3\xA0\xCC\x81",  /* à plus a stray acute: a mark is part of the word */
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		const char *want = same[i];
		if (strcmp(norm(same[i]), want) != 0)
			fail_msg("'%s' -> '%s', want '%s'", same[i], result, want);
	}
}

static void test_normalize_nfc(void **state)
{
	(void)state;
	/* NFD in, NFC out; case and marks kept. */
	char *d = nfd("Điện Biên Phủ, ĂN QUẢ NHỚ KẺ TRỒNG CÂY");
	assert_string_equal(norm(d), "Điện Biên Phủ, ĂN QUẢ NHỚ KẺ TRỒNG CÂY");
	free(d);
	assert_string_equal(norm("e\xCC\x81"), "é");
	assert_string_equal(norm("E\xCC\x82\xCC\x81"), "Ế");
	/* Marks out of canonical order are reordered, then composed. */
	assert_string_equal(norm("e\xCC\x82\xCC\xA3"), "ệ");
	assert_string_equal(norm("e\xCC\xA3\xCC\x82"), "ệ");
	assert_string_equal(norm("=\xCC\xB8"), "≠");
	assert_string_equal(norm("한국어"), "한국어");
	/* Folding does not care where the tone is. */
	const char *t = "Cộng hoà, khoẻ, thuỷ, hòa";
	char a[128];
	snprintf(a, sizeof a, "%s", fold(t));
	assert_string_equal(fold(norm(t)), a);
}

/* ------------------------------------------------------------------ */
/* NFC on the way in                                                   */
/* ------------------------------------------------------------------ */

static void test_nfc(void **state)
{
	(void)state;
	/* NFD in, NFC out, byte for byte what utf8proc says. */
	const char *texts[] = {
		"Điện Biên Phủ, ĂN QUẢ NHỚ KẺ TRỒNG CÂY",
		"Trống đồng Ngọc Lũ — bảo vật quốc gia",
		"Cộng hoà, khoẻ, thuỷ, hòa, quý, khuya",
		"한국어, 北京, ﬁ, Ω, café <b>=</b>",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *d = nfd(texts[i]);
		char *want = (char *)utf8proc_NFC((const utf8proc_uint8_t *)texts[i]);
		assert_non_null(want);
		assert_string_not_equal(d, want);
		assert_string_equal(nfc(d), want);
		assert_string_equal(nfc(want), want);
		free(d);
		free(want);
	}
	/* Unlike text_normalize: the tone stays where it was typed, case stays. */
	assert_string_equal(nfc("hoa\xCC\x80"), "hoà");
	assert_string_equal(nfc("HOA\xCC\x80"), "HOÀ");
	assert_string_equal(nfc("e\xCC\xA3\xCC\x82"), "ệ");
	assert_string_equal(nfc("=\xCC\xB8"), "≠");
	/* A mark with nothing to compose with stays. */
	assert_string_equal(nfc(" \xCC\x81x"), " \xCC\x81x");
	assert_string_equal(nfc(""), "");
	buf_t b = BUF_INIT;
	assert_int_equal(text_nfc("a\xFF" "b", 3, &b), -1);
	assert_int_equal(text_nfc("a\0b", 3, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_nfc_arena(void **state)
{
	(void)state;
	arena_t *a = arena_new(1024);
	assert_non_null(a);
	size_t n = 99;
	/* Already NFC (ASCII or not): the same pointer, nothing copied. */
	const char *ascii = "tim kiem";
	assert_ptr_equal(text_nfc_arena(a, ascii, strlen(ascii), &n), ascii);
	assert_int_equal(n, strlen(ascii));
	const char *composed = "Điện Biên";
	assert_ptr_equal(text_nfc_arena(a, composed, strlen(composed), &n), composed);
	/* NFD: a NUL-terminated copy of the NFC form, with its length. */
	char *d = nfd(composed);
	const char *r = text_nfc_arena(a, d, strlen(d), &n);
	assert_non_null(r);
	assert_ptr_not_equal(r, d);
	assert_string_equal(r, composed);
	assert_int_equal(n, strlen(composed));
	free(d);
	/* Only len bytes are read. */
	r = text_nfc_arena(a, "e\xCC\x81xyz", 3, &n);
	assert_string_equal(r, "é");
	assert_int_equal(n, 2);
	assert_null(text_nfc_arena(a, "\xC3\x28", 2, &n));
	assert_null(text_nfc_arena(a, "a\0", 2, NULL));
	arena_free(a);
}

/* ------------------------------------------------------------------ */
/* Slugs                                                              */
/* ------------------------------------------------------------------ */

static void test_slug_examples(void **state)
{
	(void)state;
	assert_string_equal(slug("Hội nghị triển khai nhiệm vụ công tác năm 2021"),
		"hoi-nghi-trien-khai-nhiem-vu-cong-tac-nam-2021");
	assert_string_equal(slug("Điện Biên Phủ"), "dien-bien-phu");
	assert_string_equal(slug("  --Điện   Biên!!! Phủ--  "), "dien-bien-phu");
	assert_string_equal(slug("C++ & C#"), "c-c");
	assert_string_equal(slug("Năm đại đoàn chủ lực (1954)"), "nam-dai-doan-chu-luc-1954");
	assert_string_equal(slug("ĐỒI A1"), "doi-a1");
	assert_string_equal(slug("Ðồi Ɖộc Lập"), "doi-doc-lap");
	assert_string_equal(slug("Straße"), "strasse");
	assert_string_equal(slug("a_b.c/d"), "a-b-c-d");
	char *d = nfd("Hội nghị năm 2021");
	assert_string_equal(slug(d), "hoi-nghi-nam-2021");
	free(d);
}

static void test_slug_empty(void **state)
{
	(void)state;
	char out[16] = "junk";
	assert_int_equal(text_slug("", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_slug("!!! ... ---", 11, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_slug("🏛️🇻🇳", strlen("🏛️🇻🇳"), out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_slug("北京", strlen("北京"), out, sizeof out), 0);
	/* Invalid UTF-8 gives no slug. */
	strcpy(out, "junk");
	assert_int_equal(text_slug("ab\xFF", 3, out, sizeof out), 0);
	assert_string_equal(out, "");
	/* outlen 1: only the terminator fits. */
	assert_int_equal(text_slug("abc", 3, out, 1), 0);
	assert_string_equal(out, "");
	/* outlen 0: nothing is written. */
	out[0] = 'x';
	assert_int_equal(text_slug("abc", 3, out, 0), 0);
	assert_int_equal(out[0], 'x');
}

static void test_slug_emoji(void **state)
{
	(void)state;
	assert_string_equal(slug("🏛️ Bảo tàng 🇻🇳 Việt Nam 🎉"), "bao-tang-viet-nam");
	assert_string_equal(slug("Triển lãm🎉2024"), "trien-lam-2024");
}

static void test_slug_long(void **state)
{
	(void)state;
	/* 20 words of 5 letters: cut at a '-' within 80 bytes. */
	char in[512] = "";
	for (int i = 0; i < 20; i++)
		strcat(in, "Nhiệm ");
	const char *s = slug(in);
	assert_true(strlen(s) <= 80);
	/* "nhiem" is 5 bytes, so 13 words and 12 dashes make 77 bytes. */
	assert_int_equal(strlen(s), 77);
	assert_int_equal(s[strlen(s) - 1], 'm');
	assert_int_equal(strncmp(s, "nhiem-nhiem-", 12), 0);

	/* A '-' exactly at byte 80 keeps all 80 bytes. */
	char w[128];
	memset(w, 'a', 80);
	strcpy(w + 80, " bcd");
	s = slug(w);
	assert_int_equal(strlen(s), 80);
	assert_int_equal(strspn(s, "a"), 80);

	/* Exactly 80 bytes with nothing after. */
	w[80] = '\0';
	assert_int_equal(strlen(slug(w)), 80);

	/* One word longer than 80 bytes is cut hard. */
	char longword[300];
	memset(longword, 'x', 299);
	longword[299] = '\0';
	s = slug(longword);
	assert_int_equal(strlen(s), 80);

	/* 79 letters, a separator, more: cut at 79. */
	memset(w, 'b', 79);
	strcpy(w + 79, "-cc");
	s = slug(w);
	assert_int_equal(strlen(s), 79);

	/* A small out buffer limits the slug the same way. */
	char small[12];
	assert_int_equal(text_slug("Điện Biên Phủ", strlen("Điện Biên Phủ"), small, sizeof small),
		9);
	assert_string_equal(small, "dien-bien");

	/* Huge input: only the start matters, the result is the same. */
	buf_t big = BUF_INIT;
	for (int i = 0; i < 20000; i++)
		assert_int_equal(buf_puts(&big, "Điện Biên Phủ "), 0);
	char out[128];
	size_t n = text_slug(big.data, big.len, out, sizeof out);
	assert_true(n <= 80);
	assert_int_equal(strncmp(out, "dien-bien-phu-dien", 18), 0);
	assert_int_not_equal(out[n - 1], '-');
	buf_free(&big);
}

static void test_slug_charset(void **state)
{
	(void)state;
	/* Every vowel table row and a mix of symbols: only [a-z0-9-]. */
	char out[128];
	for (size_t v = 0; v < sizeof vowels / sizeof vowels[0]; v++) {
		char in[64];
		snprintf(in, sizeof in, "%s-%s!", vowels[v].upper, vowels[v].lower);
		size_t n = text_slug(in, strlen(in), out, sizeof out);
		assert_int_equal(n, 13);
		assert_int_equal(strspn(out, "abcdefghijklmnopqrstuvwxyz0123456789-"), n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_cut_length),
		cmocka_unit_test(test_fold_all_vowels_and_tones),
		cmocka_unit_test(test_fold_two_marks),
		cmocka_unit_test(test_fold_d_lookalikes),
		cmocka_unit_test(test_fold_dien_bien_phu),
		cmocka_unit_test(test_fold_nfd_equals_nfc),
		cmocka_unit_test(test_fold_other_scripts),
		cmocka_unit_test(test_fold_rejects_bad_utf8),
		cmocka_unit_test(test_fold_appends),
		cmocka_unit_test(test_fold_long_non_latin),
		cmocka_unit_test(test_normalize_old_to_new),
		cmocka_unit_test(test_normalize_leaves_others),
		cmocka_unit_test(test_normalize_nfc),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_nfc_arena),
		cmocka_unit_test(test_slug_examples),
		cmocka_unit_test(test_slug_empty),
		cmocka_unit_test(test_slug_emoji),
		cmocka_unit_test(test_slug_long),
		cmocka_unit_test(test_slug_charset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
