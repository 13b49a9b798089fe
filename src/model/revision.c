/* revision.c - article revisions (being written). */
typedef int sen_revision_placeholder;
