/* stats_page.c - being written. */
typedef int sen_stats_page_placeholder;
