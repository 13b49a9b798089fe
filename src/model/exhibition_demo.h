/*
 * exhibition_demo.h - the demo's exhibitions and publications, which
 * `sen init --demo` loads after the demo register (register_demo.h): in
 * 2020 exactly EXHIBITION_DEMO_2020 exhibitions opened (the seed article's
 * "tổ chức 04 cuộc trưng bày triển lãm", so the plans part can count them),
 * one of them travelling to another province and one online, with objects
 * of the demo register and dated visitor numbers; the permanent display
 * open now and one exhibition to come; and the seed's book "Năm đại đoàn
 * chủ lực tham gia Chiến dịch Điện Biên Phủ" with two more publications.
 */
#ifndef SEN_MODEL_EXHIBITION_DEMO_H
#define SEN_MODEL_EXHIBITION_DEMO_H

#include "db/db.h"

#define EXHIBITION_DEMO_2020 4

/* Loads them once, in one transaction, when the database has no
 * exhibition yet; objects are found by their names in the demo register
 * (a name that is missing is skipped). *exhibitions and *publications
 * (may be NULL) get how many were added. 0 or -1 (logged; nothing
 * written). */
int exhibition_demo_load(db_t *db, int *exhibitions, int *publications);

#endif
