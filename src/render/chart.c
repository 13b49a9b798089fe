/* chart.c - SVG charts (being written). */
typedef int sen_chart_placeholder;
