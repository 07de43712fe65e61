"""The digests of a run on disk, and the questions the rules across files ask of them (issue 26).

Why on disk: the rules across 单位 and years can only run once the last file is in, and a digest is
about 4 KB a table; kept in memory they made a 10,000-file run's parent 40 MB larger than a 1,000-file
one's. Here each digest goes to an SQLite database (the standard library's) in a temporary folder of the
run's own (0700, removed by :meth:`DigestStore.close`, also on Ctrl-C or an error), with the few keys the
rules group and filter by beside it; the rules read back one group, one block of texts or one 单位 at a
time. It holds only what the digests held. Texts go in as UTF-8 bytes that keep even a lone surrogate
(a stranger's text that is not valid Unicode must not stop the run), compared byte for byte as Python
compares them.
"""
from __future__ import annotations

import pickle
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .digest import IndicatorDigest, TableDigest
from .text import squeeze

CURRENT, PREVIOUS = 0, 1
"""The year of a digest: this run's files, or last year's (``check --previous``)."""

BLOCK = 256
"""Rows read back at a time where a rule compares every row with every other (满意度 texts)."""

CACHE_PAGES = 512
"""SQLite's page cache (pages of 4 KB, 2 MB): what the store may keep in memory, whatever the run's length."""

_SCHEMA = """
CREATE TABLE tables (seq INTEGER PRIMARY KEY, year INTEGER, unit TEXT, kind TEXT, name TEXT, full INTEGER,
                     digest BLOB);
CREATE TABLE rows (seq INTEGER PRIMARY KEY, tbl INTEGER, idx INTEGER, unit TEXT, key TEXT, keylen INTEGER,
                   target TEXT, label TEXT, text TEXT, textlen INTEGER);
CREATE TABLE pairs (score REAL, cur INTEGER, prev INTEGER);
"""

_INDEXES = """
CREATE INDEX tables_by_unit ON tables (unit, year, seq);
CREATE INDEX rows_by_wording ON rows (key, target, seq);
"""
"""Made at the first question (:meth:`DigestStore._read`): built once over every row, not kept up to
date row by row as the digests of a batch arrive (a third of the parent's cost of adding them)."""

Row = tuple[TableDigest, IndicatorDigest]


@dataclass(frozen=True, slots=True)
class Stored:
    """One table's digest as the store keeps it, made by :func:`stored` in the worker that read the
    table: the digest pickled and the keys the rules group and filter by, ready to insert. Why in the
    worker: the parent of a batch only inserts them, its own CPU competing with two workers on two
    cores (unpickling each digest and pickling it again cost it a quarter of a millisecond a file)."""

    unit: bytes
    kind: str
    name: bytes
    full: bool
    digest: bytes                   # the TableDigest, pickled
    rows: tuple[tuple, ...]         # each indicator's row of the ``rows`` table but its ``tbl``


def stored(table: TableDigest) -> Stored:
    """``table`` as :meth:`DigestStore.add` takes it (its rows are used for this year's tables that name
    their 单位)."""
    unit = _bytes(table.unit)
    return Stored(unit, table.kind, _bytes(table.name), table.full,
                  pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL),
                  tuple(_row(n, unit, i) for n, i in enumerate(table.indicators)) if table.unit else ())


class DigestStore:
    """Every table digest of a run (:meth:`add`, this year's or last year's), in a temporary SQLite file
    of its own. Use it as a context manager, or :meth:`close` it: the folder is gone afterwards."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="selfeval-digests-")     # 0700, removed at exit too
        self.folder = Path(self._folder.name)
        self._db = sqlite3.connect(self.folder / "digests.sqlite3")
        self._db.executescript(f"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                               f"PRAGMA cache_size={CACHE_PAGES}; PRAGMA temp_store=FILE;" + _SCHEMA)
        self._paired: tuple[float, float] | None = None
        self._indexed = False
        self.block = BLOCK
        self.digest = lru_cache(maxsize=BLOCK)(self._digest)

    def close(self) -> None:
        self.digest.cache_clear()
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> "DigestStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, digests: Iterable[Stored], year: int = CURRENT) -> None:
        """The digests of one file as they arrive (in the order the rules report them), each made by
        :func:`stored`."""
        self._paired = None
        for table in digests:
            seq = self._db.execute(
                "INSERT INTO tables (year, unit, kind, name, full, digest) VALUES (?, ?, ?, ?, ?, ?)",
                (year, table.unit, table.kind, table.name, table.full, table.digest)).lastrowid
            if year == CURRENT and table.rows:      # the rules across 单位 compare tables that name theirs
                self._db.executemany(
                    "INSERT INTO rows (tbl, idx, unit, key, keylen, target, label, text, textlen) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ((seq, *row) for row in table.rows))

    def _read(self, sql: str, parameters: tuple = ()) -> sqlite3.Cursor:
        """A statement on the store's tables, once they have their indexes."""
        if not self._indexed:
            self._db.executescript(_INDEXES)
            self._indexed = True
        return self._db.execute(sql, parameters)

    def _digest(self, seq: int) -> TableDigest:
        (blob,), = self._read("SELECT digest FROM tables WHERE seq = ?", (seq,))
        return pickle.loads(blob)                # our own bytes, written by add()

    def _indicator_row(self, tbl: int, idx: int) -> Row:
        table = self.digest(tbl)
        return table, table.indicators[idx]

    def wording_groups(self, min_chars: int) -> Iterator[list[Row]]:
        """The indicators of this year's tables with a 单位, their 三级指标 of ``min_chars`` or more,
        grouped by that name and their 年度指标值 (both squeezed), where a group spans two 单位 or more:
        each group in the order of its first row, its rows in the order they came."""
        cursor = self._read(
            "WITH shared AS (SELECT key, target, MIN(seq) AS first FROM rows WHERE keylen >= ? "
            "GROUP BY key, target HAVING COUNT(DISTINCT unit) >= 2) "
            "SELECT shared.first, rows.tbl, rows.idx FROM rows JOIN shared USING (key, target) "
            "WHERE rows.keylen >= ? ORDER BY shared.first, rows.seq", (min_chars, min_chars))
        for _, group in groupby(cursor, key=lambda r: r[0]):
            yield [self._indicator_row(tbl, idx) for _, tbl, idx in group]

    def texts(self, wanted: Callable[[str], bool], min_chars: int) -> tuple[int, int]:
        """Choose the rows whose 二级 and 三级 (together) are ``wanted`` and whose squeezed worded 完成值
        and 偏差原因 has ``min_chars`` or more, for :meth:`text_block`; how many there are, and of how
        many 单位 (one 单位's run, a common one, has nothing to compare)."""
        self._db.create_function("wanted", 1, lambda label: wanted(_text(label)), deterministic=True)
        self._db.executescript("DROP TABLE IF EXISTS chosen; CREATE TABLE chosen "
                               "(n INTEGER PRIMARY KEY, unit TEXT, text TEXT, tbl INTEGER, idx INTEGER);")
        self._read("INSERT INTO chosen (unit, text, tbl, idx) SELECT unit, text, tbl, idx FROM rows "
                   "WHERE textlen >= ? AND wanted(label) ORDER BY seq", (min_chars,))
        (count, units), = self._read("SELECT COUNT(*), COUNT(DISTINCT unit) FROM chosen")
        return count, units

    def text_block(self, start: int) -> list[tuple[str, str]]:
        """(单位, squeezed text) of the chosen rows ``start`` … ``start + block - 1`` (counted from 0)."""
        cursor = self._read("SELECT unit, text FROM chosen WHERE n > ? AND n <= ? ORDER BY n",
                            (start, start + self.block))
        return [(_text(unit), _text(text)) for unit, text in cursor]

    def chosen(self, n: int) -> Row:
        """The chosen row ``n`` (counted from 0) with its table."""
        (tbl, idx), = self._read("SELECT tbl, idx FROM chosen WHERE n = ?", (n + 1,))
        return self._indicator_row(tbl, idx)

    def project_counts(self) -> Iterator[tuple[str, int, int]]:
        """(单位, its distinct project names this year, those self-scored full) for every 单位 with a
        project table, in the order of each 单位's first one."""
        cursor = self._read(
            "SELECT unit, COUNT(DISTINCT name), COUNT(DISTINCT CASE WHEN full THEN name END) FROM tables "
            "WHERE year = ? AND kind = 'project' AND unit != x'' GROUP BY unit ORDER BY MIN(seq)", (CURRENT,))
        return ((_text(unit), projects, full) for unit, projects, full in cursor)

    def full_projects(self, unit: str) -> Iterator[TableDigest]:
        """This year's project tables of ``unit`` that are self-scored full, in the order they came."""
        cursor = self._read("SELECT seq FROM tables WHERE year = ? AND unit = ? AND kind = 'project' "
                            "AND full ORDER BY seq", (CURRENT, _bytes(unit)))
        return (self.digest(seq) for seq, in cursor)

    def pair_tables(self, match: Callable[[list[tuple[int, TableDigest]], list[tuple[int, TableDigest]]],
                                          Iterable[tuple[float, int, int]]], thresholds: tuple[float, float]
                    ) -> Iterator[tuple[TableDigest, TableDigest]]:
        """This year's tables paired with last year's: ``match`` pairs the tables of one 单位 —
        ((seq, this year's), (seq, last year's)) → (score, seq, seq) — one 单位 at a time; the pairs of
        every 单位 come back best score first (then in the order the tables came), as one matching over
        all the tables would list them. Matched once per ``thresholds``."""
        if self._paired != thresholds:
            self._read("DELETE FROM pairs")
            units = self._read("SELECT DISTINCT unit FROM tables WHERE year = ? AND unit != x'' INTERSECT "
                               "SELECT DISTINCT unit FROM tables WHERE year = ?", (CURRENT, PREVIOUS))
            for unit, in units.fetchall():
                self._db.executemany("INSERT INTO pairs VALUES (?, ?, ?)",
                                     match(self._of_unit(unit, CURRENT), self._of_unit(unit, PREVIOUS)))
            self._paired = thresholds
        for cur, prev in self._read("SELECT cur, prev FROM pairs ORDER BY score DESC, cur, prev"):
            yield self.digest(cur), self.digest(prev)

    def _of_unit(self, unit: bytes, year: int) -> list[tuple[int, TableDigest]]:
        cursor = self._read("SELECT seq, digest FROM tables WHERE unit = ? AND year = ? ORDER BY seq",
                            (unit, year))
        return [(seq, pickle.loads(blob)) for seq, blob in cursor]


def _row(idx: int, unit: bytes, ind: IndicatorDigest) -> tuple:
    key, text = ind.key, squeeze(ind.text)
    return (idx, unit, _bytes(key), len(key), _bytes(squeeze(ind.target_text)), _bytes(ind.level2 + ind.name),
            _bytes(text), len(text))


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(stored: bytes) -> str:
    return stored.decode("utf-8", "surrogatepass")
