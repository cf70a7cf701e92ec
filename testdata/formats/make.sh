#!/bin/sh
# Converts our fictional notice (notice.fodt, written by hand for these
# tests) to PDF, DOCX and ODT with LibreOffice, and to a PDF that needs a
# password (secret) to open:
#   apt-get install libreoffice-writer-nogui fonts-wqy-microhei
#   sh testdata/formats/make.sh
# The outputs are committed; rerun only when notice.fodt changes, and
# regenerate the golden text (go test ./indexer/pdf -run Fixture -update;
# go test ./indexer -run OwnFixtures -update).
set -e
cd "$(dirname "$0")"
for f in pdf docx odt; do
	soffice --headless --convert-to "$f" --outdir . notice.fodt >/dev/null
done
tmp=$(mktemp -d)
soffice --headless --convert-to 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' --outdir "$tmp" notice.fodt >/dev/null
mv "$tmp/notice.pdf" notice-encrypted.pdf
rmdir "$tmp"
ls -l notice.pdf notice.docx notice.odt notice-encrypted.pdf
