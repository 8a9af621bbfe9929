package rcep

// The XLSX form of the import file (税率数据导入格式，Excel 工作簿).
//
// The reader lives here, beside the CSV reader, because excelize is a
// file-format library (no network, no SQL): a workbook's rows feed the same
// record checks as CSV rows, so both forms give the same messages.
//
// A workbook is read from its sheet named 税率数据 (XLSXSheet), or else its
// first sheet. Each row is a record laid out as in the CSV form (first cell
// the kind, then the columns of the kind in order); issues carry the
// spreadsheet's row number. A row whose first cell starts with # is a
// comment. Other sheets are ignored.
//
// Excel changes what is typed into a cell of the General format, so the
// cells that Excel turns into numbers are read by these rules:
//
//   - HS codes (商品 and 最惠国 and 协定税率 税号, 原产地规则 税号范围): Excel
//     stores 0805 typed into a General cell as the number 805, dropping the
//     leading 0. Every HS code has an even number of digits (2, 4, 6, 8 or
//     10, chapters 01–97, so at most one leading 0), hence a code of digits
//     only and of odd length has lost exactly one 0, which is put back:
//     805 → 0805, 8052100 → 08052100. This is never a guess between two
//     codes. The rule applies to a cell stored as text too (excelize's
//     streaming reader does not give a cell's type); an odd count of
//     digits is no valid code in either case. A code with a point that Excel took as a decimal number (805.21,
//     or 8471.3 for 8471.30) is not repaired, since the zeros lost at its
//     end cannot be known: it gets the line's usual HS code error; write
//     codes without points, or set the column to Text (文本).
//   - Rates (最惠国 税率, 协定税率 基准税率): a number is a percentage (12 is
//     12%), except in a cell formatted as a percentage, where Excel keeps
//     12% as 0.12: that value is multiplied by 100. A binary rounding
//     residue (10.910000000000002) is taken as the two-decimal rate it
//     stands for; a rate with more decimals is refused as in CSV.
//   - Dates (生效日期): a date typed into Excel is a serial day number; a
//     number in a date column is read as such (1904 date system included)
//     and becomes YYYY-MM-DD. Text dates must be YYYY-MM-DD, as in CSV.
//   - Every other cell is read as its stored value, without the cell's
//     number format (a cell showing 2,025 reads 2025).
//
// Size limits, so that a crafted archive (a "zip bomb") cannot exhaust
// memory: the file itself is at most MaxFileBytes; the archive's parts may
// unpack to at most maxXLSXUnpacked in all, of which at most
// maxXLSXInMemory are held in memory (worksheets and the shared strings
// larger than xlsxXMLInMemory are streamed from a temporary file, which
// excelize removes on Close); the Go zip reader refuses a part that
// unpacks to more than the size its header declares. At most 500,000 rows
// with content and 5,000,000 cells within them are read (maxXLSXRows,
// maxXLSXCells).

import (
	"archive/zip"
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/errs"
)

// Format is the form of an import file, told by its first bytes.
type Format int

// The forms of an import file.
const (
	FormatCSV  Format = iota // anything else: read as CSV text
	FormatXLSX               // a ZIP archive ("PK\x03\x04"): an Office Open XML workbook
	FormatXLS                // an OLE2 compound file (D0 CF 11 E0): a binary .xls, or an .xlsx saved with a password
)

// SniffFormat tells the form of an import file from its content, whatever
// its name says.
func SniffFormat(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return FormatXLSX
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return FormatXLS
	}
	return FormatCSV
}

const xlsRefusal = "这是旧版 Excel 文件（.xls），或设置了打开密码的 Excel 文件，无法读取：请在 Excel 中“另存为”“Excel 工作簿（*.xlsx）”（不设密码）或“CSV UTF-8（逗号分隔）”后再导入"

// XLSXSheet is the sheet a workbook is read from when it has one of that
// name; otherwise its first sheet is read.
const XLSXSheet = "税率数据"

// Limits of the XLSX reader: rows with content, and cells read within
// them (variables only so that a test can lower them).
var (
	maxXLSXRows  = 500_000
	maxXLSXCells = 5_000_000
)

// Limits of the archive.
const (
	maxXLSXUnpacked = 256 << 20 // all parts of the archive, unpacked
	maxXLSXInMemory = 48 << 20  // the parts held in memory, unpacked
	xlsxXMLInMemory = 16 << 20  // a worksheet or shared strings part larger than this is streamed from disk
	maxXLSXParts    = 5000
)

// xlsxTyped names, per kind of record, the columns Excel may have turned
// into numbers (see the rules above); columns count from 0, the kind.
var xlsxTyped = map[string]struct{ hs, rates, dates []int }{
	kindVersion:   {dates: []int{1}},
	kindAgreement: {dates: []int{4}},
	kindParty:     {dates: []int{4}},
	kindGood:      {hs: []int{1}},
	kindMFN:       {hs: []int{2}, rates: []int{3}},
	kindLine:      {hs: []int{4}, rates: []int{5}},
	kindRule:      {hs: []int{2}},
}

// checkXLSXArchive refuses, before anything is unpacked, an archive whose
// parts would unpack to more than the limits, by the sizes their headers
// declare (which the zip reader then holds them to).
func checkXLSXArchive(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "文件不是完整的 Excel 工作簿（.xlsx）：可能已损坏，请在 Excel 中重新保存后再导入")
	}
	if len(zr.File) > maxXLSXParts {
		return errs.E(errs.Invalid, "Excel 工作簿的组成部分过多（%d 个），不像是税率数据文件：请只保留税率数据工作表，或另存为 CSV 后再导入", len(zr.File))
	}
	var total, inMemory uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		streamed := size > xlsxXMLInMemory && (strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml")
		if !streamed {
			inMemory += size
		}
		if size > maxXLSXUnpacked || total > maxXLSXUnpacked || inMemory > maxXLSXInMemory {
			return errs.E(errs.Invalid, "Excel 工作簿解压后过大（超过 %d MB）：请删去无关的工作表和图片，或另存为 CSV 后再导入", maxXLSXUnpacked>>20)
		}
	}
	return nil
}

// readXLSX feeds the rows of a workbook to the checks.
func (p *parser) readXLSX(data []byte) error {
	if err := checkXLSXArchive(data); err != nil {
		return err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxXLSXUnpacked, UnzipXMLSizeLimit: xlsxXMLInMemory})
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "无法读取 Excel 工作簿（.xlsx）：文件可能已损坏，请在 Excel 中重新保存后再导入")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return errs.E(errs.Invalid, "Excel 工作簿中没有工作表")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if s == XLSXSheet {
			sheet = s
		}
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	// Two readers over the same sheet, in step: one gives the stored
	// values, the other the values as shown, which tell a cell formatted
	// as a percentage.
	stored, err := f.Rows(sheet)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "无法读取工作表“%s”", sheet)
	}
	defer stored.Close()
	shown, err := f.Rows(sheet)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "无法读取工作表“%s”", sheet)
	}
	defer shown.Close()
	line, rows, cells := 0, 0, 0
	for stored.Next() {
		shown.Next()
		line++
		rv, err := stored.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "第 %d 行：无法读取该行的单元格，文件未导入", line)
		}
		if len(rv) == 0 {
			continue
		}
		var sv []string
		if t := xlsxTyped[strings.TrimSpace(rv[0])]; len(t.rates) > 0 {
			// Only rates need the values as shown; the other reader
			// skips the rows it is not asked to read.
			if sv, err = shown.Columns(); err != nil {
				sv = nil // only the percentage format is lost; the stored values stand
			}
		}
		rows++
		cells += len(rv)
		if rows > maxXLSXRows || cells > maxXLSXCells {
			return errs.E(errs.Invalid, "工作表“%s”过大：最多读取 %d 行、%d 个单元格，文件未导入", sheet, maxXLSXRows, maxXLSXCells)
		}
		if strings.HasPrefix(strings.TrimSpace(rv[0]), "#") {
			continue
		}
		if !p.row(line, xlsxRecord(rv, sv, date1904)) {
			return nil
		}
	}
	if err := stored.Error(); err != nil {
		return errs.Wrap(errs.Invalid, err, "工作表“%s”读到第 %d 行时出错，文件未导入", sheet, line)
	}
	if rows == 0 {
		return errs.E(errs.Invalid, "工作表“%s”是空的：请在第一个工作表（或名为“%s”的工作表）中逐行填写记录，格式见 docs/rcep-data-format.md", sheet, XLSXSheet)
	}
	return nil
}

// xlsxRecord turns a row's stored values into the cells of a record, by
// the rules for the columns Excel may have turned into numbers.
func xlsxRecord(stored, shown []string, date1904 bool) []string {
	rec := append([]string(nil), stored...)
	t, ok := xlsxTyped[strings.TrimSpace(rec[0])]
	if !ok {
		return rec
	}
	for _, i := range t.hs {
		if i < len(rec) {
			rec[i] = xlsxHS(rec[i])
		}
	}
	for _, i := range t.rates {
		if i < len(rec) {
			pct := i < len(shown) && strings.HasSuffix(strings.TrimSpace(shown[i]), "%")
			rec[i] = xlsxRate(rec[i], pct)
		}
	}
	for _, i := range t.dates {
		if i < len(rec) {
			rec[i] = xlsxDate(rec[i], date1904)
		}
	}
	return rec
}

var (
	xlsxNumberRE = regexp.MustCompile(`^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)
	xlsxSerialRE = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)?$`)
)

// xlsxHS puts back the leading 0 Excel dropped from an HS code stored as a
// number: digits only, odd in length.
func xlsxHS(v string) string {
	t := strings.TrimSpace(v)
	if strings.ContainsAny(t, "eE") && xlsxNumberRE.MatchString(t) {
		// 8.4713E7: a long number written in exponent form.
		if f, err := strconv.ParseFloat(t, 64); err == nil && f >= 0 && f < 1e10 && f == math.Trunc(f) {
			t = strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	if t == "" {
		return v
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return v
		}
	}
	if len(t)%2 == 1 && len(t) < 10 {
		return "0" + t
	}
	return t
}

// xlsxRate reads a rate stored as a number: times 100 in a cell formatted
// as a percentage, and without the residue of binary floating point.
// Anything else is left for ParseRate to judge.
func xlsxRate(v string, percentCell bool) string {
	t := strings.TrimSpace(v)
	if !xlsxNumberRE.MatchString(t) {
		return v
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) {
		return v
	}
	if percentCell {
		f *= 100
	}
	bp := f * 100
	n := math.Round(bp)
	if math.Abs(n) < 1e15 && math.Abs(bp-n) < 1e-6 {
		return trimDecimal(int64(n), 2)
	}
	if percentCell {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return v
}

// xlsxDate reads a date stored as Excel's serial day number.
func xlsxDate(v string, date1904 bool) string {
	t := strings.TrimSpace(v)
	if !xlsxSerialRE.MatchString(t) {
		return v
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 1 || f > 2958465 { // 9999-12-31
		return v
	}
	d, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return v
	}
	return d.Format("2006-01-02")
}
