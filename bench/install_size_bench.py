"""How big is a gwstats install? (target: site-packages under 250 MB; 442 MB with mplfonts and pandas)

Run: .venv/bin/python bench/install_size_bench.py [--source DIR] [--extras pandas]
(the venv is made with the Python that runs the script: e.g. python3.13 for a venv without setuptools,
as Python 3.12+ and the Windows installers make them)
Makes a fresh venv in a temporary folder, runs `pip install SOURCE` (the pip cache makes this quick),
and prints the size of site-packages: in all, without the venv's own pip/setuptools (what
`uv tool install` or a venv made --without-pip holds), and the largest packages.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

VENV_OWN = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth")


def size(path: Path) -> tuple[int, int]:
    """(bytes of the files, bytes on disk as `du -s` counts them: whole blocks, folders included;
    = the file bytes on Windows, where st_blocks does not exist)."""
    entries = [path] if path.is_file() else [path, *(f for f in path.rglob("*") if not f.is_symlink())]
    stats = [(f.is_file(), f.lstat()) for f in entries]
    return (sum(st.st_size for is_file, st in stats if is_file),
            sum(getattr(st, "st_blocks", 0) * 512 or (st.st_size if is_file else 0) for is_file, st in stats))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--extras", default="")
    args = ap.parse_args()
    target = args.source + (f"[{args.extras}]" if args.extras else "")
    with tempfile.TemporaryDirectory(prefix="gwstats-size-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        subprocess.run([str(py), "-m", "pip", "install", "-q", target], check=True)
        site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip())
        entries = {p.name: size(p) for p in site.iterdir()}
        mb = 1024 * 1024

        def tot(keep):
            b = sum(v[0] for k, v in entries.items() if keep(k))
            d = sum(v[1] for k, v in entries.items() if keep(k))
            return f"{b / mb:6.0f} MB {d / mb:9.0f} MB"

        def venv_own(k):
            return k.split("-")[0] in VENV_OWN or k in VENV_OWN

        print(f"installed: pip install {target} (Python {sys.version.split()[0]})")
        print(f"{'':38} {'file bytes':>9} {'on disk (du)':>12}")
        print(f"{'site-packages in all':38} {tot(lambda k: True)}")
        print(f"{'  of which the venv own pip/setuptools':38} {tot(venv_own)}")
        print(f"{'gwstats and its dependencies':38} {tot(lambda k: not venv_own(k))}")
        print("largest (file bytes):")
        for name, (n, _d) in sorted(entries.items(), key=lambda kv: -kv[1][0])[:12]:
            print(f"  {name:40} {n / mb:6.1f} MB")


if __name__ == "__main__":
    main()
