/*
 * widgets.c - which widgets show on the public pages, in what order.
 *
 * The page base (page.c) and the article page (news.c) know nothing of the
 * widgets: each widget's context function is registered here as a page
 * part, once at start-up. A new widget adds one line below.
 */
#include "portal/discover.h"
#include "portal/portal.h"
#include "portal/widgets.h"

int portal_widgets_register(void)
{
	/* Every page: the visitor counter in the footer. */
	if (page_part_add(visits_page_context) != 0)
		return -1;
	/* The article page, in this order: its JSON-LD, rating and comments,
	 * related news. */
	if (page_article_part_add(feeds_article_context) != 0 ||
	    page_article_part_add(feedback_article_context) != 0 ||
	    page_article_part_add(feedback_comments_context) != 0 ||
	    page_article_part_add(visits_related_context) != 0)
		return -1;
	return 0;
}
