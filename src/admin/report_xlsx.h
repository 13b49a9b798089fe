/*
 * report_xlsx.h - the annual report as an XLSX workbook (libxlsxwriter),
 * one sheet per section: the summary, the indicators against plan, the
 * acquisitions, the exhibitions, the publications. Numbers are numbers,
 * percents numbers with a percent format (1,17 shown 117%), days real
 * dates shown dd/mm/yyyy; every text goes through sheet_xlsx_text (no
 * typed value becomes a formula). Sheet names and column heads come from
 * the reader's catalog.
 */
#ifndef SEN_ADMIN_REPORT_XLSX_H
#define SEN_ADMIN_REPORT_XLSX_H

#include "admin/admin_private.h"
#include "model/report.h"

/* Writes r (with its summary paragraph) to path. 0 or -1 (logged). */
int report_xlsx_write(http_req *req, const report_year *r, const char *summary, const char *path);

#endif
