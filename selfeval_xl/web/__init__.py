"""The web face (``selfeval serve``): a department's check page, each 单位's upload link, the bureau's
collections with their dashboard, and ``POST /api/check``.

A face like the command line: it calls the batch's check, the score write-back and the report writers
and decides nothing about a table itself. Storage sits behind :class:`.store.Store` (SQLite and files
under one folder by default).
"""
