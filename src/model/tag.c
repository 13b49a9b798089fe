/* tag.c - tags (being written). */
typedef int sen_tag_placeholder;
