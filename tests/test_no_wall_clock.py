"""No test asserts how long something took: time bounds live in ``benchmarks/``.

A bound on a loaded two-core machine is a coin toss (issue 20), lower bounds included. Tests
prove what happened instead (counts, order, state) and wait for conditions with
:func:`tests.waiting.wait_until`, the one place allowed to read a clock.

The check reads every Python file under ``tests/`` and reports, by file and line, each
ordering comparison (``<``, ``<=``, ``>``, ``>=``) that involves a reading of the clock:

* a call of ``time.monotonic``/``perf_counter``/``time``/``process_time``/``thread_time``
  (and their ``_ns`` forms, also imported bare);
* a name that holds one within the same function, directly or through arithmetic, lists and
  comprehensions (``started = time.monotonic()``, ``gaps = [b - a for ...]``,
  ``ticks.append(time.monotonic())``);
* a name or attribute that says it is a duration (``elapsed``, ``waited``, ``stall``...),
  or the fake server's request arrival time (``request.at``).

Not reported, because none of them bounds how long something took: timeouts passed to
functions (``subprocess.run(timeout=60)``, ``qtbot.waitUntil(..., timeout=)``,
``event.wait(10)``), clock values only stored or compared for equality, counts
(``len(ticks) > 20``), and comparisons with a file's times (``st_mtime > old + DAY``: which
backup is today's is state).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
#: The one helper that may compare clock readings: its timeout only turns a hang into a failure.
ALLOWED = {TESTS / "waiting.py"}
CLOCKS = {"monotonic", "perf_counter", "time", "process_time", "thread_time"}
CLOCKS |= {f"{name}_ns" for name in CLOCKS}
#: Bare names a module may have imported from ``time`` (``time()`` alone is too common a name).
BARE_CLOCKS = CLOCKS - {"time"}
#: Words that make a name or attribute a duration, wherever its value comes from.
DURATION_WORDS = {"elapsed", "duration", "durations", "waited", "stall", "stalls", "stalled",
                  "took"}
#: Attributes that hold a clock reading: ``tests.fakeserver.Request.at`` (arrival time).
CLOCK_ATTRIBUTES = {"at"}
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
FILE_TIMES = {f"st_{kind}time{ns}" for kind in "amc" for ns in ("", "_ns")}
COLLECTING = {"append", "extend", "insert", "add", "appendleft"}


def is_clock_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute):
        return (func.attr in CLOCKS and isinstance(func.value, ast.Name)
                and func.value.id == "time")
    return isinstance(func, ast.Name) and func.id in BARE_CLOCKS


def says_duration(name: str) -> bool:
    return bool(DURATION_WORDS & set(name.lower().split("_")))


def reads_clock(node: ast.AST, clocked: set[str]) -> bool:
    """Whether ``node`` contains a clock call, a clocked name or a duration-named value.

    ``len(...)`` is a count, whatever it counts (``len(ticks) > 20``), so it is not looked into.
    """
    if is_clock_call(node):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len":
        return False
    if isinstance(node, ast.Name) and (node.id in clocked or says_duration(node.id)):
        return True
    if isinstance(node, ast.Attribute) and (node.attr in CLOCK_ATTRIBUTES
                                             or says_duration(node.attr)):
        return True
    return any(reads_clock(child, clocked) for child in ast.iter_child_nodes(node))


def compares_file_times(node: ast.Compare) -> bool:
    return any(isinstance(sub, ast.Attribute) and sub.attr in FILE_TIMES
               for sub in ast.walk(node))


def target_names(target: ast.AST) -> Iterator[str]:
    for sub in ast.walk(target):
        if isinstance(sub, ast.Name):
            yield sub.id


def clocked_names(scope: ast.AST) -> set[str]:
    """Names in ``scope`` that hold a clock reading or something computed from one."""
    clocked: set[str] = set()
    while True:
        before = len(clocked)
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.NamedExpr):
                value = node.value
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if value is not None and reads_clock(value, clocked):
                    for target in targets:
                        clocked.update(target_names(target))
            elif isinstance(node, ast.For | ast.comprehension):
                if reads_clock(node.iter, clocked):
                    clocked.update(target_names(node.target))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in COLLECTING and isinstance(node.func.value, ast.Name)
                  and any(reads_clock(arg, clocked) for arg in node.args)):
                clocked.add(node.func.value.id)
        if len(clocked) == before:
            return clocked


def scopes(tree: ast.Module) -> Iterator[ast.AST]:
    """Each top-level function and method (nested functions stay with their outer one, since
    they share its names), then the module's own statements."""
    rest: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from (n for n in node.body
                        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
        else:
            rest.append(node)
    yield ast.Module(body=rest, type_ignores=[])


def timing_comparisons(path: Path) -> list[str]:
    """``file:line: comparison`` for every ordering comparison of a clock reading in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for scope in scopes(tree):
        clocked = clocked_names(scope)
        for node in ast.walk(scope):
            if (isinstance(node, ast.Compare) and any(isinstance(op, ORDERING) for op in node.ops)
                    and reads_clock(node, clocked) and not compares_file_times(node)):
                name = path.relative_to(TESTS.parent) if path.is_relative_to(TESTS) else path
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    return sorted(set(found), key=lambda line: int(line.split(": ", 1)[0].rsplit(":", 1)[1]))


def test_no_test_compares_a_clock_reading_with_a_bound() -> None:
    offenders = [line for path in sorted(TESTS.rglob("*.py")) if path not in ALLOWED
                 for line in timing_comparisons(path)]
    assert offenders == [], (
        "time bounds belong in benchmarks/ (tests assert counts, order and state; wait "
        "with tests.waiting.wait_until):\n" + "\n".join(offenders))


def test_the_check_finds_the_usual_shapes(tmp_path: Path) -> None:
    """The check is not a rubber stamp: each way a bound has been written here is reported,
    and the innocent uses of time beside them are not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import time\n"
        "from time import perf_counter\n"
        "def test_bounds(qtbot, proc, event):\n"
        "    started = time.monotonic()\n"
        "    assert time.monotonic() - started < 5\n"                     # line 5
        "    waited = time.monotonic() - started\n"
        "    assert done and waited >= 1.0\n"                             # line 7
        "    ticks = []\n"
        "    def tick():\n"
        "        ticks.append(time.monotonic())\n"
        "    gaps = [b - a for a, b in zip(ticks, ticks[1:])]\n"
        "    assert max(gaps) < 1.0, 'stalled'\n"                         # line 12
        "    assert second.at - first.at >= result.elapsed_s\n"           # line 13
        "    t0 = perf_counter()\n"
        "    if perf_counter() - t0 > 2:\n"                               # line 15
        "        raise AssertionError('slow')\n"
        "    start = time.process_time()\n"
        "    assert time.process_time() - start < 15.0\n"                 # line 18
        "    # innocent: timeouts passed on, clock values stored or compared for equality\n"
        "    qtbot.waitUntil(lambda: ready, timeout=3000)\n"
        "    proc.communicate(timeout=60)\n"
        "    event.wait(10)\n"
        "    old = time.time() - 3600\n"
        "    assert path.stat().st_mtime == old\n"
        "    assert newest.stat().st_mtime > old + 60\n"
        "    assert len(ticks) > 20 or count >= 3\n",
        encoding="utf-8")
    lines = [int(line.split(":")[-2]) for line in timing_comparisons(sample)]
    assert lines == [5, 7, 12, 13, 15, 18]
