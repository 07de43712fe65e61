"""Uploads through :func:`processing.process` in the warm workers, recorded in the store.

Why one object for the whole app: the checks of every area (a department's page, a 单位's link, the
bureau's dashboard) share the workers, the store and the limits, and a 单位's reports are re-checked
whenever its tables change, whichever page changed them.
"""
from __future__ import annotations

import contextlib
import functools
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import processing, views, zipnames
from ..core.findings import FileReport
from .limits import WebLimits, compact
from .store import Store, Submission, Unit
from .uploads import CHUNK, REPORT_SUFFIXES, WORKBOOK_SUFFIXES, suffix_of
from .workers import ClientGone, WorkerPool

ZIP_MAX_FILES = 1000
ZIP_MAX_TOTAL = 1024 ** 3        # bytes unpacked from one zip, whatever its entries claim


@dataclass
class Settings:
    store: Store
    limits: WebLimits
    pool: WorkerPool              # the warm workers every step on a stranger's file runs in
    public_url: str | None = None   # where the 单位 open their links (None: the address the request came to)

    @property
    def limit(self) -> int:
        return self.limits.file_bytes


class Processor:
    """Runs uploads through :func:`processing.process` in the warm workers (as many at once as there
    are workers; more wait their turn) and records them, each result compacted to the limits."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.purged = 0.0

    def _run(self, gone: threading.Event | None):
        return functools.partial(self.settings.pool.run, gone=gone)

    def _keep(self, result: dict) -> dict:
        return compact(result, self.settings.limits)

    @contextlib.contextmanager
    def _answered(self, blob: str, suffix: str):
        """The upload is kept only if its client is there for the answer."""
        try:
            yield
        except ClientGone:
            self.settings.store.discard_file(blob, suffix)
            raise

    def submit(self, unit: Unit | None, blob: str, suffix: str, name: str, system: str | None,
               recheck: bool = True, gone: threading.Event | None = None) -> Submission:
        """A workbook checked and scored; its 单位's reports re-checked against the tables now in
        (``recheck``: a zip re-checks them once, after its last workbook)."""
        store = self.settings.store
        self.retain()
        with self._answered(blob, suffix), tempfile.TemporaryDirectory(dir=store.scratch()) as work:
            done = processing.process(store.file_path(blob, suffix), name, Path(work), system, self._run(gone),
                                      self.settings.limits)
            scored = store.put_file(done.scored, done.scored.suffix) + done.scored.suffix if done.scored else None
        sub = store.add_submission(unit.id if unit else None, name, blob, suffix,
                                   processing.table_key(done.report), self._keep(done.result), scored)
        if unit is not None and recheck:
            self.recheck_reports(unit, system)
        return sub

    def retain(self) -> None:
        """Submissions older than ``keep_days`` deleted, looked at no more than once an hour."""
        days = self.settings.limits.keep_days
        if days and time.time() - self.purged > 3600:
            self.purged = time.time()
            self.settings.store.purge_before(self.purged - days * 86400)

    def _latest(self, unit: Unit) -> tuple[list[Submission], list[Path]]:
        """The latest version of each of the 单位's files, and the paths of its workbooks among them."""
        store = self.settings.store
        latest, _ = views.latest_versions(store.submissions(unit.id))
        return latest, [store.file_path(s.blob, s.suffix) for s in latest if s.suffix in WORKBOOK_SUFFIXES]

    def _report_result(self, workbooks: list[Path], blob: str, suffix: str, name: str,
                       system: str | None, gone: threading.Event | None = None) -> processing.Processed:
        """A 绩效自评报告 checked against these workbooks (its 单位's latest)."""
        store = self.settings.store
        with tempfile.TemporaryDirectory(dir=store.scratch()) as work:
            return processing.process_report(store.file_path(blob, suffix), name, workbooks, Path(work), system,
                                              self._run(gone))

    def submit_report(self, unit: Unit, blob: str, suffix: str, name: str, system: str | None,
                      gone: threading.Event | None = None) -> Submission:
        with self._answered(blob, suffix):
            done = self._report_result(self._latest(unit)[1], blob, suffix, name, system, gone)
        return self.settings.store.add_submission(unit.id, name, blob, suffix, processing.table_key(done.report),
                                                  self._keep(done.result), None)

    def recheck_reports(self, unit: Unit, system: str | None) -> None:
        """The 单位's latest reports checked again, against the tables it has now: a report uploaded
        before (or while) its tables were processed does not keep a verdict without them."""
        latest, workbooks = self._latest(unit)
        for sub in (s for s in latest if s.suffix in REPORT_SUFFIXES):
            done = self._report_result(workbooks, sub.blob, sub.suffix, sub.filename, system)
            self.settings.store.replace_result(sub.id, self._keep(done.result))

    def check(self, path: Path, name: str, gone: threading.Event | None = None) -> FileReport:
        """The check alone (the JSON API), of a file in scratch."""
        with tempfile.TemporaryDirectory(dir=self.settings.store.scratch()) as work:
            return processing.isolated_check(path, name, Path(work), run=self._run(gone))[0]

    def latest_reports(self, subs: list[Submission], system: str | None) -> list[FileReport]:
        """The reports of these submissions checked together (the cross-file checks of each 单位 add
        theirs, as ``selfeval check`` over a folder would); a file whose own check crashed, or every
        file when the joint run cannot finish, keeps the report it got on upload."""
        store = self.settings.store
        crashed = [s for s in subs if s.suffix not in WORKBOOK_SUFFIXES      # a report keeps its own verdict
                   or any(f["code"] == "check-failed" for f in s.result["report"]["findings"])]
        rest = [s for s in subs if s not in crashed]
        stored = [processing.report_from_dict(s.result["report"]) for s in crashed]
        if not rest:
            return stored
        with tempfile.TemporaryDirectory(dir=store.scratch()) as work:
            together = processing.check_together([(store.file_path(s.blob, s.suffix), s.filename) for s in rest],
                                                 Path(work), system, self._run(None))
        if together is None:
            return [processing.report_from_dict(s.result["report"]) for s in subs]
        return together + stored

    def unzip(self, unit: Unit, blob: str, system: str | None, job_id: int) -> None:
        """Check every workbook in a zip, one by one, advancing the job as each is done (a thread)."""
        store = self.settings.store
        try:
            with zipfile.ZipFile(store.file_path(blob, ".zip")) as zf:
                entries = [e for e in zf.infolist() if not e.is_dir() and suffix_of(e.filename) in WORKBOOK_SUFFIXES
                           and not Path(e.filename).name.startswith(("~$", "."))][:ZIP_MAX_FILES]
                store.advance_job(job_id, 0, "running", f"共 {len(entries)} 个工作簿", total=len(entries))
                unpacked = skipped = garbled = 0
                for n, entry in enumerate(entries, start=1):
                    name, understood = zipnames.member_name(entry)
                    size = self._one_entry(zf, entry, name, unit, system)
                    unpacked, skipped = unpacked + size, skipped + (size > self.settings.limit)
                    garbled += not understood
                    if unpacked > ZIP_MAX_TOTAL:
                        store.advance_job(job_id, n, "failed", f"压缩包解开后过大，已在第 {n} 个文件处停止")
                        return
                    too_big = f"（{skipped} 个文件超过大小上限，未检查）" if skipped else ""
                    too_big += f"（{garbled} 个文件名的编码无法识别，按原样显示）" if garbled else ""
                    if n == len(entries):            # the 单位's reports, against all its tables, once
                        self.recheck_reports(unit, system)
                    store.advance_job(job_id, n, "running" if n < len(entries) else "finished",
                                      f"已检查 {n} / {len(entries)}{too_big}")
                if not entries:
                    store.advance_job(job_id, 0, "finished", "压缩包中没有 .xlsx / .xlsm / .xls 文件")
        except Exception as exc:  # noqa: BLE001 - a stranger's zip: any failure ends the job, visibly
            store.advance_job(job_id, 0, "failed", f"压缩包无法读取：{type(exc).__name__}")

    def _one_entry(self, zf: zipfile.ZipFile, entry: zipfile.ZipInfo, member: str, unit: Unit,
                   system: str | None) -> int:
        """Check one entry (skipped when over the upload limit); returns the bytes it unpacked."""
        store, suffix = self.settings.store, suffix_of(entry.filename)
        name = processing.display_name(member, suffix)
        handle = tempfile.NamedTemporaryFile(dir=store.scratch(), delete=False, suffix=suffix)
        size = 0
        with handle, zf.open(entry) as source:       # the declared size is not trusted: count
            while block := source.read(CHUNK):
                size += len(block)
                if size > self.settings.limit:
                    break
                handle.write(block)
        if size > self.settings.limit:
            Path(handle.name).unlink()
            return size
        self.submit(unit, store.put_file(Path(handle.name), suffix), suffix, name, system, recheck=False)
        return size
