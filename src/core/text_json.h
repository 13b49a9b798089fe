/*
 * text_json.h - text inside parsed JSON brought to NFC (core/text.h), for
 * the ways JSON comes in: the API's request bodies and `sen import`.
 */
#ifndef SEN_CORE_TEXT_JSON_H
#define SEN_CORE_TEXT_JSON_H

#include <jansson.h>

/*
 * Replaces every string value in v (v itself, or inside its arrays and
 * objects, at any depth) that is not NFC with its NFC form, in place;
 * object keys are left as they are (they name fields, they are not text
 * anyone stores). v may be NULL. jansson owns the new strings as it owns
 * the old ones. 0, or -1 when out of memory (v may then be half done: the
 * caller drops it).
 */
int text_json_nfc(json_t *v);

#endif
