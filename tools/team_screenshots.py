"""Take the team library's screenshots (issue 13): a team window with its status part, the
Conflicts view, an article's History and File ▸ Open team library… after Test connection.

Needs Debian's PostgreSQL binaries (a throw-away cluster is started, as the tests do) and a
real X server so fonts render as on a desktop::

    xvfb-run -s '-screen 0 1440x900x24' .venv/bin/python -m tools.team_screenshots OUT_DIR

Two people share the sample library: alice retitles and tags an article while bob's window is
open (it follows live), and both retitle another one, so bob gets a conflict.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(out: Path) -> int:
    home = Path(tempfile.mkdtemp(prefix="spinelib-teamshots-"))
    os.environ["SPINELIB_HOME"] = str(home)
    from PySide6.QtCore import QEventLoop, QTimer

    from benchmarks.pgcluster import start_cluster
    from spinelib.gui.app import ensure_app
    from spinelib.gui.mainwindow import MainWindow
    from spinelib.gui.state import WindowState
    from spinelib.library.team import create_team, grant, open_team
    from spinelib.samplelibrary import build_sample_library
    from spinelib.settings import Settings

    app = ensure_app(["team-screenshots"])
    app.setStyle("Fusion")
    out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(cond, ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
        for _ in range(ms // 50):
            if cond():
                return
            wait(50)
        raise SystemExit(f"gave up waiting ({ms} ms)")

    sample = home / "Sample library.sqlite"
    build_sample_library(sample)
    cluster = start_cluster(("owner", "alice", "bob"))
    try:
        with cluster.admin() as conn:
            conn.execute("CREATE DATABASE spine OWNER owner")
        create_team(cluster.url("owner", "spine"), sample)
        for login in ("alice", "bob"):
            grant(cluster.url("owner", "spine"), login, "editor")
        alice = open_team(cluster.url("alice", "spine"), home / "alice")
        alice.sync.pull()
        bob = open_team(cluster.url("bob", "spine"), home / "bob")
        win = MainWindow(bob, Settings(max_retries=0),
                         state=WindowState(home / "state.ini"))
        win.resize(1440, 900)
        win.show()
        until(lambda: win.model.rowCount() > 0 and win.team.part is not None
              and win.team.part.status is not None and win.team.part.status.online)
        showcase = bob.articles.resolve_key("38856741")
        win.table.select_ids([showcase], showcase)
        until(lambda: win.detail.article_id == showcase)
        mine = alice.articles.resolve_key("38856741")
        alice.edits.edit(mine, {"title": alice.articles.record(mine).title.rstrip(".")
                                + " (checked by Alice)."})
        alice.tags.create("journal club")
        alice.tags.add([mine], ["journal club"])
        alice.sync.push()
        until(lambda: "journal club" in win.sidebar.tag_labels().values())
        wait(800)
        win.grab().save(str(out / "team-window-live.png"))
        # A conflict: both retitle another article; alice's push comes first.
        other = next(i for i in alice.search.ids() if i != mine)
        key = alice.articles.record(other).citekey
        win.team.stop()  # bob's window stops following, so his edit is made unaware of hers
        alice.edits.edit(other, {"title": "Alice's wording of the title"})
        alice.sync.push()
        bob.edits.edit(bob.articles.resolve_key(key), {"title": "Bob's wording of the title"})
        bob.sync.push()
        # And a membership dropped by a colleague's deletion: bob files an article in a list
        # while alice, unaware, deletes the list; her deletion wins, his line says so.
        alice.lists.create("Tumour board")
        alice.sync.push()
        bob.sync.pull()
        bob.lists.add("Tumour board", [bob.articles.resolve_key(key)])
        alice.lists.delete("Tumour board")
        alice.sync.sync()
        bob.sync.sync()
        dialog = win.team.show_conflicts()
        until(lambda: dialog.table.rowCount() == 2)
        wait(400)
        dialog.grab().save(str(out / "team-conflicts.png"))
        dialog.table.selectRow(1)
        wait(400)
        dialog.grab().save(str(out / "team-conflicts-dropped-membership.png"))
        dialog.close()
        history = win.team.show_history()
        assert history is not None
        until(lambda: history.list.count() > 0)
        wait(400)
        history.grab().save(str(out / "team-history.png"))
        history.close()
        opener = win.team.show_open_dialog()
        opener.url.setText(cluster.url("bob", "spine"))
        opener.test_connection()
        until(lambda: opener.outcome.text().startswith("Connected"))
        wait(300)
        opener.grab().save(str(out / "team-open-dialog.png"))
        opener.reject()
        win.close()
        alice.close()
    finally:
        cluster.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
