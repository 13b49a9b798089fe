/* revisions.c - being written. */
typedef int sen_revisions_placeholder;
