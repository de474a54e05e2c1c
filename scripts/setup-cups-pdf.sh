#!/usr/bin/env bash
# Set up a CUPS PDF printer queue "LeafletPDF" for trying Counsel's Print... end to end (idempotent).
# Needs root (no systemd needed). Printed leaflets land in $HOME/PDF/ of the user who printed.
#   sudo bash scripts/setup-cups-pdf.sh        # then: python main.py, Leaflet > Print..., pick LeafletPDF
set -euo pipefail
QUEUE="${QUEUE:-LeafletPDF}"

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-cups-pdf: run as root (sudo bash $0)" >&2
  exit 1
fi

missing=""
for pkg in cups printer-driver-cups-pdf; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "setup-cups-pdf: installing$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

# The package's postinst cannot start cupsd without systemd/policy-rc.d, so start it here.
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  echo "setup-cups-pdf: starting cupsd"
  /usr/sbin/cupsd
  for _ in $(seq 1 50); do
    lpstat -r 2>/dev/null | grep -q "is running" && break
    sleep 0.1
  done
fi
lpstat -r | grep -q "is running" || { echo "setup-cups-pdf: cupsd did not start" >&2; exit 1; }

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
  models=$(lpinfo -m 2>/dev/null || true)
  ppd=$(printf '%s\n' "$models" | awk '$1 ~ /CUPS-PDF_opt/ {print $1; exit}')
  [ -n "$ppd" ] || ppd=$(printf '%s\n' "$models" | awk 'tolower($1) ~ /cups-pdf/ {print $1; exit}')
  if [ -z "$ppd" ]; then
    echo "setup-cups-pdf: no CUPS-PDF driver found (lpinfo -m)" >&2
    exit 1
  fi
  echo "setup-cups-pdf: adding queue $QUEUE ($ppd)"
  lpadmin -p "$QUEUE" -v cups-pdf:/ -m "$ppd" -E 2>&1 | grep -v -i "deprecated" || true
fi
cupsenable "$QUEUE"
cupsaccept "$QUEUE"
lpadmin -d "$QUEUE"
echo "setup-cups-pdf: ready. $(lpstat -d)"
echo "Test: lp -d $QUEUE some.pdf   (output appears in \$HOME/PDF/ after a few seconds)"
