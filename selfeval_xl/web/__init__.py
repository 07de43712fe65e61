"""The web face (``selfeval serve``): a department's check page, each 单位's upload link, the bureau's
collections with their dashboard, and ``POST /api/check``.

A face like the command line: it calls the batch's check, the score write-back and the report writers
and decides nothing about a table itself. Storage sits behind :class:`.store.Store` (SQLite and files
under one folder by default). Every step on a stranger's file runs in warm, limited worker processes
(:mod:`.workers`); every bound of the server — bytes, files, seconds, connections, what is kept — is one
:class:`.limits.WebLimits`, enforced by :mod:`.guards` and :mod:`.connections`.
"""
