#!/bin/sh
# Makes the PDF test material of the reader from the text reports in
# testdata/ (the seed and the two published samples). Run by hand; its
# outputs are committed. Needs Go, Debian's chromium, LibreOffice, poppler-utils
# and fonts-droid-fallback.
#
#   NAME.chromium.pdf     the report as an HTML page with real tables (mkhtml.go),
#                         printed by Chromium; table 三 breaks over pages and
#                         its header (<thead>) repeats
#   NAME.libreoffice.pdf  that page converted to DOCX by LibreOffice, the DOCX
#                         converted to PDF (merged cells kept as Word merges);
#                         the DOCX is kept too, as NAME.libreoffice.docx
#   NAME.fpdf.pdf         the text typeset by go-pdf/fpdf (mkfpdf.go), the library
#                         the product writes its own PDFs with: bordered cells
#                         without merges, tables broken over pages without a
#                         repeated header, page numbers in the footer
#   hongze_district_2023.cairo.pdf
#                         the LibreOffice PDF rewritten by poppler's cairo
#                         backend (pdftocairo -pdf): another writer's fonts
#   fuzhou_customs_2024.split_noheader.pdf
#                         A5 pages, table 三 broken over three pages with no
#                         header repeated
#   fuzhou_customs_2024.split_libreoffice.pdf
#                         the same A5 page through LibreOffice
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d /tmp/pdfmake-XXXX)
trap 'rm -rf "$tmp"' EXIT

chrome() { # html pdf
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--print-to-pdf="$2" "file://$1" 2>/dev/null
}
office() { # file format outdir
	soffice -env:UserInstallation="file://$tmp/profile" --headless \
		--convert-to "$2" --outdir "$3" "$1" >/dev/null 2>&1
}
lo_pdf() { # html pdf [docx]
	b=$(basename "$1" .html)
	office "$1" "docx:MS Word 2007 XML" "$tmp"
	office "$tmp/$b.docx" pdf "$tmp"
	mv "$tmp/$b.pdf" "$2"
	if [ $# -gt 2 ]; then cp "$tmp/$b.docx" "$3"; fi
}

for r in fuzhou_customs_2024 hongze_district_2023 huaian_city_2024; do
	go run mkhtml.go "../$r.txt" >"$tmp/$r.html"
	chrome "$tmp/$r.html" "$r.chromium.pdf"
	lo_pdf "$tmp/$r.html" "$r.libreoffice.pdf" "$r.libreoffice.docx"
	go run mkfpdf.go "../$r.txt" "$r.fpdf.pdf"
done
pdftocairo -pdf hongze_district_2023.libreoffice.pdf hongze_district_2023.cairo.pdf

go run mkhtml.go -page A5 -thead=false ../fuzhou_customs_2024.txt >"$tmp/split.html"
chrome "$tmp/split.html" fuzhou_customs_2024.split_noheader.pdf
lo_pdf "$tmp/split.html" fuzhou_customs_2024.split_libreoffice.pdf
ls -l ./*.pdf ./*.docx
