"""The built wheel works on its own: installed in a fresh venv, away from the checkout.

Builds SpineLib's wheel from a copy of the checkout (nothing is written into the checkout),
checks what it holds (every module, every shipped resource, both entry points), installs it
into a new venv and runs ``spinelib --version`` and two imports of files there, from a
directory outside the checkout and with the checkout nowhere on ``sys.path``. That proves the
taxonomy, the sample library and the icons come from inside the wheel through
``importlib.resources``.

No network: the wheel is built with the venv's own build backend (no build isolation) and
installed with ``--no-index --no-deps``. The dependencies come from the test venv's
site-packages through a ``.pth`` line in the fresh venv (a plain path line, so the test venv's
own ``.pth`` files, such as an editable install of SpineLib, are not processed there).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from spinelib import __version__

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
#: Left out of the copy the wheel is built from: not part of the package, and big.
NOT_COPIED = (".git", ".venv", "venv", "build", "dist", "tests", "benchmarks", "*.egg-info",
              "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis")
#: Generous, for a 2-core machine shared with other work; the whole test takes ~15 s.
STEP_TIMEOUT = 180


def _run(args: list[str | Path], *, env: dict[str, str], cwd: Path,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=STEP_TIMEOUT)
    if check and proc.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {proc.returncode}\n"
                    f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def _offline_backend_missing() -> str | None:
    """Why the venv cannot build a wheel without downloading a build backend, if it cannot."""
    probe = ("import importlib.metadata as m, sys; "
             "sys.exit(0 if int(m.version('setuptools').split('.')[0]) >= 77 else 1)")
    if subprocess.run([sys.executable, "-c", probe], timeout=60).returncode == 0:
        return None
    return ("building the wheel offline needs setuptools>=77 (pyproject's build backend) "
            "in the venv, as the test extras install it")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SpineLib's wheel, built from a copy of the checkout."""
    reason = _offline_backend_missing()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    # symlinks=True keeps spinelib/resources a link to ../resources, as in the checkout.
    shutil.copytree(REPO, src, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
    out = work / "out"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "--quiet", "-w", out, src], env=dict(os.environ), cwd=work)
    wheels = list(out.glob("spinelib-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_holds_every_module_and_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "spinelib").rglob("*.py")
               if "__pycache__" not in p.parts and p.parent.name != "resources"}
    assert modules - names == set(), "modules missing (a package without __init__.py?)"
    resources = {f"spinelib/resources/{p.relative_to(REPO / 'resources').as_posix()}"
                 for p in (REPO / "resources").rglob("*") if p.is_file()
                 and "__pycache__" not in p.parts}
    assert {"spinelib/resources/taxonomy.json",
            "spinelib/resources/sample/spine-oncology-landmarks.ris"} <= resources
    assert resources - names == set(), "resources missing from the wheel"
    assert not any(n.startswith(("tests/", "resources/")) for n in names)


def test_wheel_declares_both_entry_points(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        entry = next(n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt"))
        text = zf.read(entry).decode()
    sections: dict[str, dict[str, str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            current = line.strip("[]")
        elif "=" in line:
            name, _, target = line.partition("=")
            sections.setdefault(current, {})[name.strip()] = target.strip()
    assert sections["console_scripts"]["spinelib"] == "spinelib.cli:main"
    assert sections["gui_scripts"]["spinelib-gui"] == "spinelib.gui.app:main"


@pytest.fixture(scope="module")
def fresh(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with only our wheel installed (dependencies reached through a .pth)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], env=dict(os.environ),
         cwd=venv.parent)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
          "--no-index", "--quiet", wheel], env=dict(os.environ), cwd=venv.parent)
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                env=_clean_env(venv.parent), cwd=venv.parent).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "_spinelib_test_dependencies.pth").write_text(
        "".join(f"{p}\n" for p in sorted(ours)))
    return venv


def _clean_env(home: Path) -> dict[str, str]:
    """The test's environment (endpoints pointed at 127.0.0.1:9) minus anything that could
    put the checkout on sys.path."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    env["SPINELIB_HOME"] = str(home / "home")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working directory that is not the checkout and has nothing of it."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    return cwd


def test_version_from_the_installed_script(fresh: Path, elsewhere: Path) -> None:
    proc = _run([fresh / "bin" / "spinelib", "--version"], env=_clean_env(elsewhere),
                cwd=elsewhere)
    assert proc.stdout.strip() == f"spinelib {__version__}"
    assert (fresh / "bin" / "spinelib-gui").is_file()


def test_package_and_resources_come_from_the_wheel(fresh: Path, elsewhere: Path) -> None:
    probe = ("import json, sys, spinelib; from spinelib import paths; "
             "print(json.dumps({'package': spinelib.__file__, 'path': sys.path, "
             "'taxonomy': str(paths.resource('taxonomy.json')), "
             "'sample': str(__import__('spinelib.sample').sample.sample_path())}))")
    found = json.loads(_run([fresh / "bin" / "python", "-c", probe],
                            env=_clean_env(elsewhere), cwd=elsewhere).stdout)
    for key in ("package", "taxonomy", "sample"):
        assert Path(found[key]).resolve().is_relative_to(fresh.resolve()), (key, found[key])
        assert not Path(found[key]).resolve().is_relative_to(REPO), (key, found[key])
    assert not any(p and Path(p).resolve() == REPO for p in found["path"])


def test_import_files_with_the_installed_program(fresh: Path, elsewhere: Path) -> None:
    env = _clean_env(elsewhere)
    spinelib = fresh / "bin" / "spinelib"
    library = elsewhere / "tmp.sqlite"
    proc = _run([spinelib, "--library", library, "import", DATA / "wheel" / "two.bib"],
                env=env, cwd=elsewhere)
    assert "2 imported" in proc.stdout
    # The shipped sample, read from inside the installed package.
    sample = _run([fresh / "bin" / "python", "-c",
                   "from spinelib.sample import sample_path; print(sample_path())"],
                  env=env, cwd=elsewhere).stdout.strip()
    proc = _run([spinelib, "--library", library, "import", sample], env=env, cwd=elsewhere)
    # The two papers already there are merged (the sample fills what the .bib lacked).
    assert proc.stdout.splitlines()[-1] == "12 imported, 2 updated"
    listed = json.loads(_run([spinelib, "--library", library, "list", "--json"], env=env,
                             cwd=elsewhere).stdout)
    assert len(listed) == 14
    assert {"16112300", "20809724"} <= {a["pmid"] for a in listed}


def test_gui_finds_its_icons_in_the_wheel(fresh: Path, elsewhere: Path) -> None:
    assert any((REPO / "resources" / "icons").glob("spinelib*"))
    probe = ("from spinelib.gui.app import app_icon, ensure_app; ensure_app(); "
             "icon = app_icon(); print(len(icon.availableSizes()), icon.isNull())")
    out = _run([fresh / "bin" / "python", "-c", probe], env=_clean_env(elsewhere),
               cwd=elsewhere).stdout.split()
    assert out[-1] == "False" and int(out[-2]) > 0
