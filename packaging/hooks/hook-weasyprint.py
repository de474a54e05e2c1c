"""PyInstaller hook for WeasyPrint (replaces the contrib hook for this project's bundle).

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject by name with cffi's dlopen, so analysis
cannot see them. The contrib hook's search trips over find_library("libfontconfig") on Debian and
then collects nothing; here each library is resolved through ldconfig, and PyInstaller follows
their own dependencies (GLib, FriBidi, FreeType, Graphite, ...). rthook_native_libs.py loads the
bundled copies first at run time.
"""

import ctypes.util
import platform
import subprocess
import sys
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files

NATIVE = ("gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig")


def _ldconfig_path(soname: str) -> str:
    arch = "x86-64" if platform.machine() == "x86_64" else platform.machine()
    listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        lib, _, path = line.strip().partition(" => ")
        if lib.split(" ")[0] == soname and arch in lib:
            return path
    raise SystemExit(f"build-bundle: cannot find the file of {soname}")


def _resolve(name: str) -> str:
    soname = ctypes.util.find_library(name)
    if soname is None:
        raise SystemExit(f"build-bundle: the native library {name} is missing "
                         "(scripts/bootstrap installs it)")
    return _ldconfig_path(soname)


datas = collect_data_files("weasyprint")
binaries = []
if sys.platform.startswith("linux"):
    binaries = [(_resolve(name), ".") for name in NATIVE]
    # Fontconfig's configuration, so fallback fonts (DejaVu, Noto) are found on the target machine.
    if Path("/etc/fonts/fonts.conf").exists():
        datas.append(("/etc/fonts", "etc/fonts"))
