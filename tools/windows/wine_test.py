"""Install the Windows download under wine and use it as a clerk would, in a real console (a pty).

    python tools/build_windows.py && python tools/windows/wine_test.py

Needs Debian's wine, wine64 and mingw-w64 (apt-get install -y wine wine64 mingw-w64). Steps: a fresh
64-bit wine prefix set to Windows 10; the setup run silently for the current user (/S /CurrentUser);
then, through `script -qec` (pipes hide console-only failures), `gwstats --version`, `gwstats demo`, an
import of returns from a folder with a Chinese name, and `gwstats ui` fetched over 127.0.0.1; last the
uninstaller. Exit 0 when every step gives what it should.

Wine 8 lacks two things real Windows has, so the harness (never the artefacts) supplies them:
bcryptprimitives.dll (python-calamine's random source; a 15-line shim over RtlGenRandom, built here with
mingw-w64) and ucrtbase's crealf (numpy 2 imports it: numpy 1.26 is put in the installed copy instead).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIMS = Path(__file__).resolve().parent / "wine_shims"
APP = "关工委统计"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def wine_env(prefix: Path) -> dict:
    return dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEARCH="win64")


def console(cmd: str, env: dict, cwd: Path, timeout: int = 900) -> str:
    """Run ``cmd`` in a pty as a console program would; the text it showed, without colour codes."""
    proc = subprocess.run(["script", "-qec", cmd, "/dev/null"], env=env, cwd=cwd, capture_output=True,
                          timeout=timeout)
    return ANSI.sub("", proc.stdout.decode("utf-8", "replace")).replace("\r", "")


def step(name: str, ok: bool, detail: str = "") -> bool:
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f"\n{detail[-3000:]}" if not ok and detail else ""), flush=True)
    return ok


def harness_shims(prefix: Path, install: Path, env: dict) -> None:
    dll = SHIMS / "bcryptprimitives.dll"
    if not dll.exists():
        subprocess.run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(dll), str(SHIMS / "bcryptprimitives.c")],
                       check=True)
    shutil.copy(dll, prefix / "drive_c/windows/system32/bcryptprimitives.dll")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "--platform", "win_amd64",
                        "--python-version", "3.12", "--implementation", "cp", "--no-deps", "numpy==1.26.4", "-d", tmp],
                       check=True)
        pkgs = install / "pkgs"
        for old in list(pkgs.glob("numpy")) + list(pkgs.glob("numpy-*.dist-info")) + list(pkgs.glob("numpy.libs")):
            shutil.rmtree(old)
        (wheel,) = Path(tmp).glob("numpy-*.whl")
        shutil.unpack_archive(str(wheel), str(pkgs), format="zip")


def main() -> int:
    setup = ROOT / "dist" / f"gwstats-{version()}-win64-setup.exe"
    if not setup.exists():
        print(f"{setup} not found: run python tools/build_windows.py first")
        return 2
    work = Path(tempfile.mkdtemp(prefix="gwstats-wine-"))
    prefix = work / "prefix"
    env = wine_env(prefix)
    ok = True
    t0 = time.monotonic()
    subprocess.run(["wineboot", "-i"], env=env, capture_output=True, timeout=900)
    subprocess.run(["wine", "reg", "add", r"HKCU\Software\Wine", "/v", "Version", "/d", "win10", "/f"], env=env,
                   capture_output=True, timeout=300)
    subprocess.run(["wine", str(setup), "/S", "/CurrentUser"], env=env, capture_output=True, timeout=900)
    install = next((prefix / "drive_c/users").glob(f"*/AppData/Local/Programs/{APP}"), None)
    ok &= step(f"installed for the current user ({time.monotonic() - t0:.0f} s)", install is not None and
               (install / "bin/gwstats.exe").exists())
    if install is None:
        return 1
    path = subprocess.run(["wine", "reg", "query", r"HKCU\Environment", "/v", "PATH"], env=env, capture_output=True,
                          timeout=300).stdout.decode("utf-8", "replace")
    ok &= step("gwstats on the user's PATH", "Programs" in path and "\\bin" in path, path)
    harness_shims(prefix, install, env)
    exe = f"wine '{install / 'bin/gwstats.exe'}'"
    out = console(f"{exe} --version", env, work)
    ok &= step("gwstats --version", f"gwstats {version()}" in out, out)
    demo = work / "演示"
    demo.mkdir()
    out = console(f"{exe} demo", env, demo)
    ok &= step("gwstats demo", "全部步骤完成" in out and "✗" not in out, out)
    ws = work / "集安市关工委"
    returns = ws / "收到的报表" / "2020年 各乡镇"
    out = console(f"{exe} init '{ws}' --name 集安市关工委 --year 2020", env, work)
    ok &= step("gwstats init (Chinese folder)", "已创建工作区" in out, out)
    sample = ROOT / "sample_data" / "jian-an"
    shutil.copytree(sample / "2020", returns)
    out = console(f"{exe} units import '{sample / 'units.csv'}' -w '{ws}'", env, work)
    ok &= step("gwstats units import", "已导入" in out or "单位" in out, out)
    out = console(f"{exe} import '{returns}' -w '{ws}'", env, work)
    ok &= step("gwstats import (folder with Chinese names)", "导入" in out and "Traceback" not in out, out)
    server = subprocess.Popen(["script", "-qec", f"{exe} ui --no-browser --port 8799 -w '{ws}'", "/dev/null"],
                              env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page = ""
    for _ in range(120):
        try:
            page = urllib.request.urlopen("http://127.0.0.1:8799/", timeout=5).read().decode("utf-8")
            break
        except OSError:
            time.sleep(1)
    server.terminate()
    subprocess.run(["wineserver", "-k"], env=env, capture_output=True)
    ok &= step("gwstats ui over 127.0.0.1", "集安市关工委" in page and "概览" in page, page[:500])
    subprocess.run(["wine", str(install / "uninstall.exe"), "/S"], env=env, capture_output=True, timeout=600)
    time.sleep(3)
    ok &= step("uninstalled", not (install / "bin/gwstats.exe").exists())
    subprocess.run(["wineserver", "-k"], env=env, capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"{'all steps passed' if ok else 'FAILED'} in {time.monotonic() - t0:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
