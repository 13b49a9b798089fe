/* articles_edit.c - being written. */
typedef int sen_articles_edit_placeholder;
