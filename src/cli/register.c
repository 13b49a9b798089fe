/*
 * register.c - `sen register verify`: walks the register's hash chain and
 * compares every registered card with its newest entry
 * (model/register_log.h). Prints the newest hash, to be written down or
 * copied elsewhere: the chain proves nothing was changed before it.
 *
 * Exit status: 0 the register fits, 1 an entry does not fit (named) or an
 * error, 2 wrong usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli/cli.h"
#include "db/db.h"
#include "model/register_log.h"

static void usage(FILE *out)
{
	fprintf(out, "Cách dùng: sen register verify [--data DIR]\n"
		     "  Kiểm tra chuỗi băm của sổ đăng ký và từng phiếu đã đăng ký; báo mục\n"
		     "  đầu tiên không khớp (mã thoát 1).\n");
}

static const char *what(enum register_break b)
{
	switch (b) {
	case REGISTER_HASH_WRONG: return "nội dung hoặc mã băm của mục đã bị sửa";
	case REGISTER_CHAIN_BROKEN:
		return "mã băm của mục trước không khớp: một mục trước nó đã bị xóa, chèn hoặc đổi chỗ";
	case REGISTER_CARD_CHANGED: return "phiếu hiện vật đã bị sửa mà không có mục đính chính";
	case REGISTER_UNLOGGED: return "hiện vật đã đăng ký nhưng không có mục tương ứng trong sổ";
	case REGISTER_FITS: break;
	}
	return "không khớp";
}

int cli_register(int argc, char **argv)
{
	const char *data;
	int status = cli_verb_args(argc, argv, usage, "verify", 1, &data);
	if (status >= 0)
		return status;
	if (app_load(data) == NULL)
		return 1;
	register_verify_result r;
	if (register_verify(db_get(), &r) != 0) {
		fprintf(stderr, "sen register verify: không đọc được sổ\n");
		return 1;
	}
	if (r.problem != REGISTER_FITS) {
		fprintf(stderr, "Mục %" PRId64 " (hiện vật %" PRId64 ") không khớp: %s.\n", r.entry,
			r.object_id, what(r.problem));
		return 1;
	}
	printf("Sổ đăng ký khớp: %" PRId64 " mục, %" PRId64 " hiện vật đã đăng ký.\n", r.entries,
	       r.objects);
	printf("Mã băm cuối: %s\n", r.head[0] ? r.head : "(sổ trống)");
	return 0;
}
