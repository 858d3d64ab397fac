"""The README's promises about set-up stay true."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    text = (ROOT / "README.md").read_text()
    first_screen = text.split("\n## ", 1)[0]
    return re.findall(r"```(?:bash|sh)\n(.*?)\n```", first_screen, re.S)


def test_readme_first_screen_has_exactly_two_setup_commands():
    cmds = _readme_commands()
    assert len(cmds) == 2, cmds
    assert "streamlit run streamlit_app.py" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    m = re.search(r"^TEST_CMD='(.*)'$", ci, re.M)
    assert m, "TEST_CMD not found in .ci/run"
    assert m.group(1) == _readme_commands()[1].strip()


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "==" in line, line


class _FakePage:
    """Stands in for a Playwright page: records where a screenshot would be written, writes nothing."""

    def __init__(self):
        self.paths = []

    def screenshot(self, path, full_page=False):
        self.paths.append(Path(path))


def _tracked_or_not_ignored(path: Path) -> bool:
    """True if git tracks ``path`` or would offer to add it (it is not ignored)."""
    rel = str(path.relative_to(ROOT))
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", rel], cwd=ROOT, capture_output=True).returncode == 0
    ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", rel], cwd=ROOT).returncode == 0
    return tracked or not ignored


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_browser_test_screenshots_touch_no_tracked_file_unless_asked(monkeypatch):
    from tests.e2e import conftest as e2e

    monkeypatch.delenv("UPDATE_SCREENSHOTS", raising=False)
    page = _FakePage()
    for name in ("home", "train", "classify"):  # names of README pictures
        e2e.screenshot(page, name)
    for path in page.paths:
        assert ROOT in path.parents and not _tracked_or_not_ignored(path), path
    # the explicit request is the one way to refresh the README's pictures
    monkeypatch.setenv("UPDATE_SCREENSHOTS", "1")
    e2e.screenshot(page, "home")
    assert page.paths[-1] == ROOT / "docs" / "screenshots" / "home.png" and _tracked_or_not_ignored(page.paths[-1])


def test_readme_gives_the_command_that_refreshes_the_screenshots():
    assert "UPDATE_SCREENSHOTS=1" in (ROOT / "README.md").read_text()


# --- .ci/run, run on a copy with stand-ins for id, apt-get, chromium and python3 (nothing is installed) -------


def _ci_copy(tmp_path, *, uid="1000", apt_rc=None, chromium_version=None, pytest_rc=0):
    """A copy of .ci/run in ``tmp_path`` and a bin/ of fakes; returns (script, env)."""
    (tmp_path / ".ci").mkdir()
    script = tmp_path / ".ci" / "run"
    shutil.copy(ROOT / ".ci" / "run", script)
    fake = tmp_path / "bin"
    fake.mkdir()
    tools = {
        "id": f"echo {uid}",
        "sudo": "exit 1",  # no password-less sudo
        "python3": (  # `python3 -m venv .venv` makes a venv whose pip does nothing and whose pytest exits with $RC
            'mkdir -p .venv/bin\nprintf "#!/bin/sh\\nexit 0\\n" > .venv/bin/pip\n'
            f'printf "#!/bin/sh\\necho ran: \\$*\\nexit {pytest_rc}\\n" > .venv/bin/python\n'
            "chmod +x .venv/bin/pip .venv/bin/python"),
    }
    if apt_rc is not None:
        tools["apt-get"] = f"echo apt-get $*; exit {apt_rc}"
    if chromium_version is not None:
        tools["chromium"] = f"echo '{chromium_version}'"
    for name, body in tools.items():
        (fake / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake / name).chmod(0o755)
    chromium = fake / "chromium" if chromium_version is not None else tmp_path / "no-chromium-here"
    env = {"PATH": f"{fake}:/usr/bin:/bin", "CHROMIUM_PATH": str(chromium), "HOME": str(tmp_path)}
    return script, env


def _run_ci(script, env):
    return subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=60)


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@needs_bash
def test_ci_fails_clearly_when_chromium_is_missing_and_it_is_not_root(tmp_path):
    r = _run_ci(*_ci_copy(tmp_path, uid="1000"))
    assert r.returncode == 1
    assert "Chromium is missing and cannot be installed: not root" in r.stderr
    assert "ran:" not in r.stdout  # the tests did not run (they would have skipped every browser test)


@needs_bash
def test_ci_fails_clearly_when_apt_cannot_install_chromium(tmp_path):
    r = _run_ci(*_ci_copy(tmp_path, uid="0", apt_rc=100))
    assert r.returncode == 1
    assert "apt-get update" in r.stdout  # it did try, as root
    assert "`apt-get install -y chromium` failed" in r.stderr and "ran:" not in r.stdout


@needs_bash
@pytest.mark.parametrize(("pytest_rc", "ci_rc"), [(0, 0), (1, 1), (5, 1)])
def test_ci_prints_the_chromium_version_and_passes_pytests_verdict_on(tmp_path, pytest_rc, ci_rc):
    r = _run_ci(*_ci_copy(tmp_path, chromium_version="Chromium 999.0.1 built on Debian", pytest_rc=pytest_rc))
    assert "Chromium 999.0.1 built on Debian" in r.stdout
    assert "ran: -m pytest" in r.stdout
    assert r.returncode == ci_rc
    assert ("collected no tests" in r.stderr) == (pytest_rc == 5)
