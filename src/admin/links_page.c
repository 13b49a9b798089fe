/* links_page.c - being written. */
typedef int sen_links_page_placeholder;
