"""Tag suggestions and facets for a large file's next batch, found in a helper process while
this process parses and writes (issue 19).

Why: the vocabulary is about a third of a bulk import's CPU (0.7 ms a record) and pure
Python, so a thread cannot run it beside the parse and the writes (the GIL); one helper
process can, on a second core. The importer hands the helper batch N+1, a chunk at a time
as it reads it, before it writes batch N (:func:`spinelib.fileimport.import_file`), and the
bulk path uses the answers for the records it writes as new
(:meth:`spinelib.library.bulk.BulkMerger.add_records`, ``known``).

Promises:

- **The same answers**: the helper runs :func:`~spinelib.vocabulary.batch.suggestions_and_facets`
  on :func:`vocabulary_input` of each record, exactly what the bulk path runs in process
  on the stored record (the vocabulary reads only the fields it is sent, none of which the
  stored form changes); ``tests/core/test_bulk_vocab.py`` compares the libraries row for row.
- **Never needed**: a helper that cannot start or fails (no second core, a broken pool,
  anything it raises) only means the answers are found in this process, as without it.
- **Deterministic**: one helper, batches answered in order; what is stored never depends on
  timing. Only *who* answers a record does: each batch goes to the helper in chunks, and
  when the importer needs a batch's answers it takes the chunks the helper has not begun
  (from the last back, while the helper works from the first) and answers them itself. So
  whichever side is faster on this machine and file (parsing and writing, or the
  vocabulary) never idles while the other still has work: a 20,000-entry ``.bib`` left
  this process waiting on the helper for a fifth of the import.
- Small files (one batch) and single-core machines never start it.
"""

from __future__ import annotations

import gc
import itertools
import logging
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from typing import BinaryIO

from spinelib import helperprocess
from spinelib.errors import SpineLibError
from spinelib.records import ArticleRecord
from spinelib.vocabulary.batch import (
    VOCABULARY_FIELDS,
    release_text_caches,
    suggestions_and_facets,
)
from spinelib.vocabulary.model import FacetValue, Suggestion
from spinelib.vocabulary.taxonomy import Taxonomy

log = logging.getLogger(__name__)
#: A record's (tag suggestions, facet values).
Answer = tuple[list[Suggestion], list[FacetValue]]
#: Answers by ``id()`` of the record objects they were asked for.
Answers = dict[int, Answer]


def vocabulary_input(rec: ArticleRecord) -> ArticleRecord:
    """What the helper is sent of a record: its :data:`VOCABULARY_FIELDS` only, all the
    vocabulary reads, so the answers are those of the record as it will be stored. Sending
    no authors, journal or identifiers took a third off pickling a chunk (10,000 PubMed
    records: 26 MB and 0.25 s in this process, 22 MB and 0.16 s without them)."""
    return ArticleRecord(**{name: getattr(rec, name) for name in VOCABULARY_FIELDS})


def answer_all(records: Sequence[ArticleRecord], taxonomy: Taxonomy,
               suggest_tags: bool) -> list[Answer]:
    """Each record's answers, in order (the helper's work; also the in-process fallback)."""
    out = [suggestions_and_facets(r, taxonomy, suggest_tags=suggest_tags) for r in records]
    release_text_caches()
    return out


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The helper process: a taxonomy, then (records, suggest_tags) requests answered in
    order until its input ends. Only the importer that started it writes to it."""
    gc.disable()  # it makes only acyclic objects, freed as each batch is answered
    taxonomy: Taxonomy = pickle.load(requests)
    while True:
        try:
            records, suggest_tags = pickle.load(requests)
        except EOFError:
            return
        pickle.dump(answer_all(records, taxonomy, suggest_tags), answers,
                    protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


#: Seconds to wait for one batch's answers (about 1 s on a quiet machine) before the
#: helper is taken for hung: it is stopped and the answers found here.
HELPER_TIMEOUT_S = 300.0
#: Records per request to the helper: the unit the importer can take back. ~0.2 s of the
#: helper's work; the round trip (pickling the records, reading the answers) is a few ms.
HELPER_CHUNK = 100
#: Whether the importer answers the chunks the helper has not begun when it needs them
#: (see the module docstring; tests turn it off to prove the helper's own answers).
SHARE_WORK = True

Request = tuple[list[ArticleRecord], bool, "Future[list[Answer]]"]


class HelperVocabulary:
    """One helper process answering batches in order; ``submit`` returns a function that
    gives the batch's answers (from the helper, or found here if the helper failed).

    The helper is ``python -m spinelib.bulkvocab`` fed through pipes (not multiprocessing,
    whose "spawn" start would import the user's ``__main__`` script again in the child,
    and whose "fork" is unsafe in the GUI's threaded process). One thread here writes each
    request and reads its answers, so neither side ever waits on a full pipe."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._taxonomy = taxonomy
        self._proc: subprocess.Popen[bytes] | None = None
        self._queue: queue.Queue[Request | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._failed = False
        #: The last batch's chunks: the only ones a cancelled import leaves unread.
        self._last: list[Future[list[Answer]]] = []

    @staticmethod
    def worth_it(records: int, batch: int) -> bool:
        """Whether a helper pays for its start (≈ 0.5 s): more than one batch, and a helper
        can run (:func:`spinelib.helperprocess.can_start`)."""
        return records > batch and helperprocess.can_start()

    def _start(self) -> None:
        self._proc = helperprocess.start("spinelib.bulkvocab")
        helperprocess.quick_handoffs()  # ended in close()
        self._thread = threading.Thread(target=self._talk, name="vocabulary-helper",
                                        daemon=True)
        self._thread.start()

    def _talk(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        try:
            pickle.dump(self._taxonomy, proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - every request then fails over
            broken: BaseException | None = exc
        else:
            broken = None
        while (request := self._queue.get()) is not None:
            records, suggest_tags, future = request
            if not future.set_running_or_notify_cancel():
                continue  # the importer took this chunk back and answered it itself
            if broken is not None:
                future.set_exception(broken)
                continue
            try:
                pickle.dump((records, suggest_tags), proc.stdin,
                            protocol=pickle.HIGHEST_PROTOCOL)
                proc.stdin.flush()
                future.set_result(pickle.load(proc.stdout))
            except Exception as exc:  # noqa: BLE001 - a dead helper: answered here instead
                broken = exc
                future.set_exception(exc)

    def begin(self, suggest_tags: bool) -> SubmittedBatch:
        """A batch to send a chunk at a time as it is read (:class:`SubmittedBatch`)."""
        batch = SubmittedBatch(self, suggest_tags)
        self._last = batch.futures  # the same list: it grows as chunks are sent
        return batch

    def submit(self, records: Sequence[ArticleRecord], suggest_tags: bool
               ) -> Callable[[], Answers]:
        """Ask for ``records``' answers, in chunks of :data:`HELPER_CHUNK`; call the result
        to get them: it answers here the chunks the helper has not begun (when
        :data:`SHARE_WORK`), waits for the others, and answers here any the helper failed."""
        batch = self.begin(suggest_tags)
        batch.add(records)
        return batch.answers

    def _send(self, chunks: list[list[ArticleRecord]], futures: list[Future[list[Answer]]],
              suggest_tags: bool) -> None:
        """Queue chunks for the helper (starting it first); without a helper they are
        cancelled, to be answered here."""
        if not self._failed:
            try:
                if self._proc is None:
                    self._start()
                for chunk, future in zip(chunks, futures):
                    self._queue.put((chunk, suggest_tags, future))
            except Exception:  # noqa: BLE001 - no helper: every chunk answered here instead
                self._give_up()
        if self._failed:
            for future in futures:
                future.cancel()  # answered here; the I/O thread skips a cancelled chunk

    def _answers(self, recs: list[ArticleRecord], chunks: list[list[ArticleRecord]],
                 futures: list[Future[list[Answer]]], suggest_tags: bool) -> Answers:
        """A submitted batch's answers (what :meth:`submit`'s result gives)."""
        found: dict[int, list[Answer]] = {}
        if SHARE_WORK:
            # The helper works from the first chunk on: take the ones it has not begun from
            # the last back, one at a time (it may begin the next meanwhile).
            for k in reversed(range(len(futures))):
                if not futures[k].cancel():
                    break
                found[k] = answer_all(chunks[k], self._taxonomy, suggest_tags)
        answers: list[Answer] = []
        for k, (chunk, future) in enumerate(zip(chunks, futures)):
            answers.extend(found[k] if k in found
                           else self._chunk_answers(chunk, future, suggest_tags))
        return {id(r): a for r, a in zip(recs, answers, strict=True)}

    def _chunk_answers(self, chunk: list[ArticleRecord], future: Future[list[Answer]],
                       suggest_tags: bool) -> list[Answer]:
        """The helper's answers to one chunk; found here if it was not sent (cancelled) or
        the helper failed or hung."""
        answers: list[Answer] | None = None
        if not future.cancelled():
            try:
                answers = future.result(timeout=HELPER_TIMEOUT_S)
            except Exception:  # noqa: BLE001 - answered here instead (a hung helper too)
                self._give_up()
        if answers is None or len(answers) != len(chunk):
            answers = answer_all(chunk, self._taxonomy, suggest_tags)
        return answers

    def _give_up(self) -> None:
        if not self._failed:
            log.warning("the vocabulary helper process failed; suggestions are made in this "
                        "process instead", exc_info=sys.exc_info()[0] is not None)
        self._failed = True
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()  # a hung helper: its pipe ends, so the I/O thread ends too

    def close(self) -> None:
        """Stop the helper and wait for it (so its CPU time counts among this process's
        children); harmless when it never started."""
        for future in self._last:  # a cancelled import's read-ahead: nobody will read it
            future.cancel()
        if self._thread is not None:
            self._queue.put(None)
            # Every answer read is in by now and the unread chunks are cancelled, so a
            # healthy helper's thread ends within a chunk; one still talking is hung (perhaps
            # it never read the vocabulary, its every chunk taken back): stop it rather than
            # keep the import waiting.
            self._thread.join(min(HELPER_TIMEOUT_S, 10.0))
            if self._thread.is_alive():
                self._give_up()
                self._thread.join()
            self._thread = None
        if self._proc is not None:
            if self._proc.stdin is not None:
                try:
                    self._proc.stdin.close()
                except OSError:
                    pass
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc = None
            helperprocess.end_quick_handoffs()


class SubmittedBatch:
    """One batch's requests to the helper, sent a chunk at a time while the batch is read:
    the helper begins on its first records while this process still parses the rest (sent
    only once the whole batch was read, the helper often had not finished it when the
    importer needed it, and the importer answered a chunk or more of every batch itself)."""

    def __init__(self, helper: HelperVocabulary, suggest_tags: bool) -> None:
        self._helper = helper
        self._suggest_tags = suggest_tags
        self.records: list[ArticleRecord] = []
        self.chunks: list[list[ArticleRecord]] = []
        self.futures: list[Future[list[Answer]]] = []

    def add(self, records: Sequence[ArticleRecord]) -> None:
        """Send the next records of the batch, in chunks of :data:`HELPER_CHUNK`."""
        recs = list(records)
        inputs = [vocabulary_input(r) for r in recs]
        chunks = [inputs[i:i + HELPER_CHUNK] for i in range(0, len(inputs), HELPER_CHUNK)]
        futures: list[Future[list[Answer]]] = [Future() for _ in chunks]
        self.records.extend(recs)
        self.chunks.extend(chunks)
        self.futures.extend(futures)
        self._helper._send(chunks, futures, self._suggest_tags)

    def answers(self) -> Answers:
        """The whole batch's answers (see :meth:`HelperVocabulary.submit`)."""
        return self._helper._answers(self.records, self.chunks, self.futures,
                                     self._suggest_tags)

    def cancel(self) -> None:
        """Nobody will read these answers (the batch broke off): the helper skips them."""
        for future in self.futures:
            future.cancel()


class ReadAhead:
    """The next batch of a file's records and (with a helper) its vocabulary, asked for a
    chunk at a time as the batch is read."""

    def __init__(self, records: Iterator[ArticleRecord], helper: HelperVocabulary | None,
                 batch: int) -> None:
        self._records = records
        self._batch = batch
        self._helper = helper
        self._error: SpineLibError | None = None

    def next(self) -> tuple[list[ArticleRecord], Callable[[], Answers | None]]:
        """(the next batch, a function giving its answers); an empty batch at the end or
        when reading failed (kept for :meth:`raise_error`, so the batch read before it is
        still written first)."""
        asked: SubmittedBatch | None = None
        chunk: list[ArticleRecord] = []
        try:
            while not self._error and len(chunk) < self._batch:
                piece = list(itertools.islice(self._records,
                                              min(HELPER_CHUNK, self._batch - len(chunk))))
                if not piece:
                    break
                chunk.extend(piece)
                if self._helper is not None:
                    # Begun at the first record, not before: at the file's end an empty
                    # batch must not become the helper's last one (which close() cancels).
                    if asked is None:
                        asked = self._helper.begin(True)
                    asked.add(piece)
        except SpineLibError as exc:
            self._error, chunk = exc, []
        if asked is not None and not chunk:
            asked.cancel()  # the batch broke off: nobody will read its answers
        if asked is None or not chunk:
            return chunk, lambda: None
        return chunk, asked.answers

    def raise_error(self) -> None:
        if self._error is not None:
            raise self._error


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
