"""Turning results into tables, workbooks, charts and reports."""
