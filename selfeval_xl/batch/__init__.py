"""The batch: many workbooks checked in isolated workers, one FileReport per file, in input order.

:mod:`.worker` reads and checks one file in a worker process; :mod:`.holdback` runs a whole batch and
holds every verdict back until the checks across files (one 单位's tables, 指标质量 across 单位 and years)
have had their say. File discovery is :mod:`selfeval_xl.files.discovery`, the pool
:mod:`selfeval_xl.isolation.pool`.
"""
