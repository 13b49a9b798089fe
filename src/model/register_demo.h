/*
 * register_demo.h - the demo register `sen init --demo` loads: the Điện
 * Biên Phủ campaign's objects (mũ cối, bi đông, xe đạp thồ, bản đồ tác
 * chiến, thư, ảnh ...), their donors, a storage tree, moves, council
 * sessions with registration numbers and one correction, and for 2020
 * exactly REGISTER_DEMO_2020 objects collected through acquisitions dated
 * in 2020 (the seed article's "Sưu tầm được 135 tài liệu, hiện vật", so
 * the plans part can count it from the register).
 */
#ifndef SEN_MODEL_REGISTER_DEMO_H
#define SEN_MODEL_REGISTER_DEMO_H

#include "db/db.h"

#define REGISTER_DEMO_2020 135

/* Loads it once, in one transaction; a database that already has a
 * register "HV" is left alone. *loaded (may be NULL) gets the objects
 * added. 0 or -1 (logged; nothing written). */
int register_demo_load(db_t *db, int *loaded);

#endif
