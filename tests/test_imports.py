import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_logreg_imports_neither_streamlit_nor_plotly():
    code = (
        "import sys, logreg, logreg.broadcasting, logreg.gradcheck, logreg.loops\n"
        "import pkgutil, importlib\n"
        "for m in pkgutil.iter_modules(logreg.__path__):\n"
        "    importlib.import_module('logreg.' + m.name)\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('streamlit', 'plotly'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"logreg pulled in: {out.stdout.strip()}"
