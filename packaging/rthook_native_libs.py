"""PyInstaller runtime hook: make WeasyPrint's dlopen-by-name find the bundled native libraries.

glibc's dlopen("libpango-1.0.so.0") returns an already-loaded object with that soname before it
searches the system, so loading the bundled copies by full path first pins them. Fontconfig
reads the configuration bundled beside them (the contrib hook copies /etc/fonts) unless the user
points FONTCONFIG_FILE elsewhere, so fallback fonts come from the target machine's font folders.
"""

import ctypes
import os
import sys

_BUNDLE = getattr(sys, "_MEIPASS", "")
# Dependency order: each library's own dependencies come before it.
_LIBS = ("libglib-2.0.so.0", "libgobject-2.0.so.0", "libfreetype.so.6", "libfontconfig.so.1",
         "libharfbuzz.so.0", "libharfbuzz-subset.so.0", "libfribidi.so.0", "libpango-1.0.so.0",
         "libpangoft2-1.0.so.0")

if _BUNDLE and sys.platform.startswith("linux"):
    for _name in _LIBS:
        _path = os.path.join(_BUNDLE, _name)
        if os.path.exists(_path):
            ctypes.CDLL(_path, mode=ctypes.RTLD_GLOBAL)
    _fonts_conf = os.path.join(_BUNDLE, "etc", "fonts", "fonts.conf")
    if os.path.exists(_fonts_conf):
        os.environ.setdefault("FONTCONFIG_FILE", _fonts_conf)
