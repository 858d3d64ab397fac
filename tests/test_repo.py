"""The README's promises about set-up stay true."""

import re
from pathlib import Path

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
