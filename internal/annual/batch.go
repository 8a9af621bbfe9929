package annual

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// This file holds what a batch of reports (a folder, a zip of a whole
// province's reports) needs, the same for the command line (report check
// --csv) and the back office's batch audit: which files are reports, the
// bounds on a zip, and the summary's columns.

// MaxFile bounds one report file read into memory: a published report is a
// few megabytes, a PDF with pictures a few tens.
const MaxFile = 64 << 20

// ErrFileTooLarge is the reason given for a file over MaxFile.
var ErrFileTooLarge = fmt.Errorf("文件超过 %d MB，不像是年度报告", MaxFile>>20)

// reportExtensions are the names a batch reads; other files of a folder or a
// zip are passed over.
var reportExtensions = map[string]bool{".txt": true, ".html": true, ".htm": true, ".docx": true, ".pdf": true}

// IsReportName reports whether a file's name is one a batch reads (.pdf,
// .docx, .html, .htm, .txt, in any case).
func IsReportName(name string) bool {
	return reportExtensions[strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))]
}

// ZipLimits bound what is read of a zip: the reports listed and the bytes
// their headers say they inflate to, so that a zip bomb is refused before
// anything is inflated (each entry is read to at most MaxFile, whatever its
// header says).
type ZipLimits struct {
	Files int
	Total uint64
}

// ZipEntry is one report in a zip, by its name (decoded from GBK where a
// Windows tool wrote it so).
type ZipEntry struct {
	Name string
	file *zip.File
}

// ZipReports lists the reports in a zip, sorted by name. Names a Windows
// tool wrote in GBK are decoded; folders, files of other kinds and the
// resource forks a Mac adds (__MACOSX/, ._name) are passed over. A zip of
// more reports than the limits allow is refused with one sentence.
func ZipReports(zr *zip.Reader, lim ZipLimits) ([]ZipEntry, error) {
	var out []ZipEntry
	var total uint64
	for _, f := range zr.File {
		name := f.Name
		if f.NonUTF8 || !utf8.ValidString(name) {
			if s, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil {
				name = s
			}
		}
		base := path.Base(name)
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, "._") || !IsReportName(name) {
			continue
		}
		if len(out) >= lim.Files {
			return nil, fmt.Errorf("ZIP 文件中的报告超过 %d 份，请分批检查", lim.Files)
		}
		total += f.UncompressedSize64
		if total > lim.Total {
			return nil, errors.New("ZIP 文件解压后过大，疑为异常文件，不予读取")
		}
		out = append(out, ZipEntry{Name: name, file: f})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Size is what the entry's header says it inflates to.
func (e ZipEntry) Size() uint64 { return e.file.UncompressedSize64 }

// Read inflates the entry, at most MaxFile bytes whatever its header says;
// an error is one Chinese sentence.
func (e ZipEntry) Read() ([]byte, error) {
	if e.file.UncompressedSize64 > MaxFile {
		return nil, ErrFileTooLarge
	}
	rc, err := e.file.Open()
	if err != nil {
		return nil, errors.New("ZIP 文件中的这个文件无法解压")
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxFile+1))
	switch {
	case err != nil:
		return nil, errors.New("ZIP 文件中的这个文件已损坏，无法解压")
	case len(data) > MaxFile:
		return nil, ErrFileTooLarge
	}
	return data, nil
}

// BatchColumn is a column of a batch's summary: its key (the CSV header of
// report check --csv, a contract), its Chinese heading, and whether it holds
// a number.
type BatchColumn struct {
	Key    string
	Label  string
	Number bool
}

// BatchColumns are the summary's columns in order: those of the first
// version, then those added after them (form, unreadable, the findings by
// status). New columns go at the end; none is renamed.
var BatchColumns = []BatchColumn{
	{"file", "文件", false},
	{"unit", "单位", false},
	{"year", "年度", true},
	{"template", "格式", false},
	{"received", "本年新收申请", true},
	{"total_handled", "办理结果总计", true},
	{"carried_forward", "结转下年度", true},
	{"errors", "错误", true},
	{"warnings", "警告", true},
	{"rules", "涉及的规则", false},
	{"read_error", "无法读取的原因", false},
	{"form", "形式", false},
	{"unreadable", "无法读取", true},
	{"fail", "不通过", true},
	{"doubt", "存疑", true},
	{"unknown", "无法判断", true},
}

// BatchHeader is the keys of BatchColumns.
func BatchHeader() []string {
	out := make([]string, len(BatchColumns))
	for i, c := range BatchColumns {
		out[i] = c.Key
	}
	return out
}

// BatchRow is one file's line of the summary: what was read and the count
// of its findings, or, for a file that could not be read, the reason.
func BatchRow(name string, r *Report, readErr error) []string {
	if readErr != nil || r == nil {
		reason := "无法读取"
		if readErr != nil {
			reason = readErr.Error()
		}
		return []string{name, "", "", "", "", "", "", "", "", "", reason, "", "1", "", "", ""}
	}
	errs, warns := 0, 0
	var rules []string
	seen := map[string]bool{}
	status := map[Status]int{}
	for _, f := range r.Findings {
		if f.Severity == Error {
			errs++
		} else {
			warns++
		}
		if !seen[f.Rule] {
			seen[f.Rule] = true
			rules = append(rules, f.Rule)
		}
		status[f.Status]++
	}
	year := ""
	if r.Year != 0 {
		year = strconv.Itoa(r.Year)
	}
	return []string{name, r.Unit, year, string(r.Template),
		r.Table3.Get(RowReceived, ColTotal).String(),
		r.Table3.Get(RowTotalHandled, ColTotal).String(),
		r.Table3.Get(RowCarriedForward, ColTotal).String(),
		strconv.Itoa(errs), strconv.Itoa(warns), strings.Join(rules, ";"), "",
		r.Printed.Form, "0", strconv.Itoa(status[StatusFail]), strconv.Itoa(status[StatusDoubt]), strconv.Itoa(status[StatusUnknown])}
}
