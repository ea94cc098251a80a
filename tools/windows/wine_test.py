"""Install the Windows download under wine and use it as a clerk would, in a real console (a pty).

    python tools/build_windows.py && python tools/windows/wine_test.py

Needs Debian's wine, wine64 and mingw-w64 (apt-get install -y wine wine64 mingw-w64). Steps: a fresh
64-bit wine prefix in a temporary folder, set to Windows 10; the setup run silently for the current user
(/S /CurrentUser); then, through `script -qec` (pipes hide console-only failures), `gwstats --version`,
`gwstats demo`, an import of returns from a folder with a Chinese name (on the process pool, forced:
its workers are spawned, as on Windows), and `gwstats ui` fetched over
127.0.0.1; last the uninstaller. Every step has a time limit and prints its time; the prefix and the
temporary folder are removed and wine's server stopped whatever happens.

Exit status: 0 when every step gives what it should, 1 when one does not, 2 when the test cannot run
here (no setup built, or wine / mingw-w64 / script missing): .ci/run reports that as SKIPPED, never as a pass.

Wine 8 lacks two things real Windows has, so the harness (never the artefacts) supplies them:
bcryptprimitives.dll (python-calamine's random source; a 15-line shim over RtlGenRandom, built here with
mingw-w64) and ucrtbase's crealf (numpy 2 imports it: numpy 1.26 is put in the installed copy instead).
Timings under wine say nothing about Windows (see docs/benchmarks.md).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
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
NEEDED = ("wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc", "script")
BOOT_LIMIT = 600  # s: a first wineboot takes 20-60 s on a small machine


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def wine_env(prefix: Path) -> dict:
    # mscoree/mshtml off: a fresh prefix would otherwise ask to download Wine Mono and Gecko
    return dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEARCH="win64",
                WINEDLLOVERRIDES="mscoree,mshtml=")


def run(cmd: list, env: dict, timeout: int, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``cmd`` with a time limit. Its output goes through files, not pipes: a wine process left running
    after the limit would keep a pipe open and the wait for its end would never end."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                              stderr=err, timeout=timeout)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read())


def console(cmd: str, env: dict, cwd: Path, timeout: int = 900) -> str:
    """Run ``cmd`` in a pty as a console program would; the text it showed, without colour codes."""
    proc = run(["script", "-qec", cmd, "/dev/null"], env, timeout, cwd)
    return ANSI.sub("", proc.stdout.decode("utf-8", "replace")).replace("\r", "")


class Steps:
    def __init__(self):
        self.t0 = time.monotonic()
        self.last = self.t0
        self.ok = True

    def __call__(self, name: str, ok: bool, detail: str = "") -> bool:
        now = time.monotonic()
        print(f"{'ok  ' if ok else 'FAIL'} {name} ({now - self.last:.0f} s)"
              + (f"\n{detail[-3000:]}" if not ok and detail else ""), flush=True)
        self.last = now
        self.ok &= ok
        return ok

    def total(self) -> float:
        return time.monotonic() - self.t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def harness_shims(prefix: Path, install: Path, work: Path) -> None:
    dll = work / "bcryptprimitives.dll"
    subprocess.run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(dll), str(SHIMS / "bcryptprimitives.c")],
                   check=True, timeout=300)
    shutil.copy(dll, prefix / "drive_c/windows/system32/bcryptprimitives.dll")
    wheels = work / "numpy-wheel"
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "--platform", "win_amd64",
                    "--python-version", "3.12", "--implementation", "cp", "--no-deps", "numpy==1.26.4", "-d", wheels],
                   check=True, timeout=600)
    pkgs = install / "pkgs"
    for old in list(pkgs.glob("numpy")) + list(pkgs.glob("numpy-*.dist-info")) + list(pkgs.glob("numpy.libs")):
        shutil.rmtree(old)
    (wheel,) = wheels.glob("numpy-*.whl")
    shutil.unpack_archive(str(wheel), str(pkgs), format="zip")


def fetch(url: str, seconds: int) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                return ""
            time.sleep(1)


def clerk_steps(step: Steps, setup: Path, work: Path, env: dict) -> None:
    prefix = Path(env["WINEPREFIX"])
    boot = run(["wineboot", "-i"], env, BOOT_LIMIT)
    if not step("fresh 64-bit wine prefix (wineboot -i)", boot.returncode == 0 and (prefix / "drive_c").is_dir(),
                boot.stderr.decode("utf-8", "replace")):
        return
    run(["wine", "reg", "add", r"HKCU\Software\Wine", "/v", "Version", "/d", "win10", "/f"], env, 300)
    run(["wine", setup, "/S", "/CurrentUser"], env, 900)
    install = next((prefix / "drive_c/users").glob(f"*/AppData/Local/Programs/{APP}"), None)
    if not step("installed for the current user (setup /S /CurrentUser)",
                install is not None and (install / "bin/gwstats.exe").exists()):
        return
    path = run(["wine", "reg", "query", r"HKCU\Environment", "/v", "PATH"], env, 300).stdout.decode("utf-8", "replace")
    step("gwstats on the user's PATH", "Programs" in path and "\\bin" in path, path)
    harness_shims(prefix, install, work)
    step("harness shims (bcryptprimitives.dll, numpy 1.26)", True)
    exe = f"wine '{install / 'bin/gwstats.exe'}'"
    out = console(f"{exe} --version", env, work)
    step("gwstats --version", f"gwstats {version()}" in out, out)
    demo = work / "演示"
    demo.mkdir()
    out = console(f"{exe} demo", env, demo)
    step("gwstats demo", "全部步骤完成" in out and "✗" not in out, out)
    ws = work / "集安市关工委"
    returns = ws / "收到的报表" / "2020年 各乡镇"
    out = console(f"{exe} init '{ws}' --name 集安市关工委 --year 2020", env, work)
    step("gwstats init (Chinese folder)", "已创建工作区" in out, out)
    sample = ROOT / "sample_data" / "jian-an"
    shutil.copytree(sample / "2020", returns)
    out = console(f"{exe} units import '{sample / 'units.csv'}' -w '{ws}'", env, work)
    step("gwstats units import", "已导入" in out or "单位" in out, out)
    # the pool forced for 27 files (it starts at 200 by itself): spawned workers, as on Windows
    out = console(f"{exe} import '{returns}' -w '{ws}'", dict(env, GWSTATS_IMPORT_WORKERS="1"), work)
    step("gwstats import on the spawn pool (folder with Chinese names)",
         "共 27 个文件，已导入 27；数值 342 个" in out and "Traceback" not in out, out)
    port = free_port()
    server = subprocess.Popen(["script", "-qec", f"{exe} ui --no-browser --port {port} -w '{ws}'", "/dev/null"],
                              env=env, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        page = fetch(f"http://127.0.0.1:{port}/", 120)
    finally:
        server.terminate()
        server.wait(30)
        run(["wineserver", "-k"], env, 60)
    step("gwstats ui over 127.0.0.1", "集安市关工委" in page and "概览" in page, page[:500])
    run(["wine", install / "uninstall.exe", "/S"], env, 600)
    # NSIS's uninstaller copies itself to a temporary folder and removes the files from there, after
    # the first process has returned
    deadline = time.monotonic() + 300
    while (install / "bin/gwstats.exe").exists() and time.monotonic() < deadline:
        time.sleep(1)
    step("uninstalled", not (install / "bin/gwstats.exe").exists())


def main() -> int:
    setup = ROOT / "dist" / f"gwstats-{version()}-win64-setup.exe"
    missing = [c for c in NEEDED if shutil.which(c) is None]
    if missing:
        print(f"cannot run: {', '.join(missing)} not found (apt-get install -y wine wine64 mingw-w64)")
        return 2
    if not setup.exists():
        print(f"cannot run: {setup} not found (python tools/build_windows.py first)")
        return 2
    work = Path(tempfile.mkdtemp(prefix="gwstats-wine-"))
    env = wine_env(work / "prefix")
    step = Steps()
    try:
        clerk_steps(step, setup, work, env)
    except subprocess.TimeoutExpired as exc:
        step(f"time limit: {' '.join(str(c) for c in exc.cmd)[:200]} ran past {exc.timeout:.0f} s", False)
    except (OSError, subprocess.CalledProcessError) as exc:
        step(f"harness error: {exc}", False)
    finally:
        try:
            run(["wineserver", "-k"], env, 60)
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(work, ignore_errors=True)
    print(f"wine test: {'all steps passed' if step.ok else 'FAILED'} in {step.total():.0f} s "
          f"(wine timings say nothing about Windows)", flush=True)
    return 0 if step.ok else 1


if __name__ == "__main__":
    sys.exit(main())
