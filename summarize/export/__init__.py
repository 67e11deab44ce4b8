"""Exports of a folder's briefs for the tools analysts already use: CSV, Excel, SQLite, JSONL.

One row per memo event (the memo's merged events, not each article's own), with the ids of
the articles that report it; the pure part is `tables`, the writers are one module a format.
"""
