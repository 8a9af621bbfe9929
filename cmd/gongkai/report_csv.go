package main

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/annual"
)

// reportZipMaxFiles bounds the entries of a zip read by --csv, and
// reportZipMaxTotal the bytes inflated from it in all, so that a zip bomb is
// refused (each entry is bounded by reportMaxFile).
const (
	reportZipMaxFiles = 10_000
	reportZipMaxTotal = 4 << 30
)

// reportExtensions are the files --csv checks.
var reportExtensions = map[string]bool{".txt": true, ".html": true, ".htm": true, ".docx": true, ".pdf": true}

// reportSource is one file of a batch: its name as listed and how to read
// it.
type reportSource struct {
	name string
	read func() *reportDoc
}

// reportCSV checks every report under a directory or in a zip file and
// writes one CSV row per file. A file that cannot be read gets its reason in
// its row, and the batch goes on.
func reportCSV(target string, stdout, stderr io.Writer) int {
	st, err := os.Stat(target)
	if err != nil {
		fmt.Fprintf(stderr, "gongkai report check：%s：目录不存在或无法打开，也不是可读的 ZIP 文件\n", target)
		return 2
	}
	var (
		sources []reportSource
		closer  io.Closer
	)
	if st.IsDir() {
		sources, err = reportDirSources(target)
		if err != nil {
			fmt.Fprintf(stderr, "gongkai report check：%s：目录无法读取\n", target)
			return 2
		}
	} else {
		var zr *zip.ReadCloser
		zr, err = zip.OpenReader(target)
		if err != nil {
			fmt.Fprintf(stderr, "gongkai report check：%s：不是目录，也不是可读的 ZIP 文件\n", target)
			return 2
		}
		closer = zr
		sources, err = reportZipSources(&zr.Reader)
		if err != nil {
			zr.Close()
			fmt.Fprintf(stderr, "gongkai report check：%s：%v\n", target, err)
			return 2
		}
	}
	if closer != nil {
		defer closer.Close()
	}

	progress := reportIsTerminal(stderr)
	docs := make([]*reportDoc, len(sources))
	for i, src := range sources {
		if progress {
			reportProgress(stderr, i, len(sources))
		}
		docs[i] = src.read()
		docs[i].name = src.name
	}
	if progress {
		reportProgress(stderr, len(sources), len(sources))
		fmt.Fprintf(stderr, "\r%s\r", strings.Repeat(" ", 60))
	}
	reportYears(docs)

	w := csv.NewWriter(stdout)
	w.Write([]string{"file", "unit", "year", "template", "received", "total_handled", "carried_forward", "errors", "warnings", "rules", "read_error",
		"form", "unreadable", "fail", "doubt", "unknown"})
	for _, d := range docs {
		if d.err != nil {
			w.Write([]string{d.name, "", "", "", "", "", "", "", "", "", d.err.Error(), "", "1", "", "", ""})
			continue
		}
		r := d.report
		errs, warns := reportCount(r.Findings)
		var rules []string
		seen := map[string]bool{}
		status := map[annual.Status]int{}
		for _, f := range r.Findings {
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
		w.Write([]string{d.name, r.Unit, year, string(r.Template),
			r.Table3.Get(annual.RowReceived, annual.ColTotal).String(),
			r.Table3.Get(annual.RowTotalHandled, annual.ColTotal).String(),
			r.Table3.Get(annual.RowCarriedForward, annual.ColTotal).String(),
			strconv.Itoa(errs), strconv.Itoa(warns), strings.Join(rules, ";"), "",
			r.Printed.Form, "0", strconv.Itoa(status[annual.StatusFail]), strconv.Itoa(status[annual.StatusDoubt]), strconv.Itoa(status[annual.StatusUnknown])})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fmt.Fprintf(stderr, "gongkai report check：无法输出 CSV：%v\n", err)
		return 1
	}
	return 0
}

// reportDirSources lists the reports under dir, by their path relative to
// it, sorted.
func reportDirSources(dir string) ([]reportSource, error) {
	var names []string
	unreadable := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			names = append(names, p) // reported as a read error below
			unreadable[p] = true
			if e != nil && e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !e.IsDir() && reportExtensions[strings.ToLower(filepath.Ext(p))] {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]reportSource, 0, len(names))
	for _, p := range names {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			rel = p
		}
		out = append(out, reportSource{name: filepath.ToSlash(rel), read: func() *reportDoc { return reportRead(p) }})
	}
	return out, nil
}

// reportZipSources lists the reports in a zip file, sorted by name. Names a
// Windows tool wrote in GBK are decoded; folders and the resource forks a
// Mac adds (__MACOSX/, ._name) are passed over.
func reportZipSources(zr *zip.Reader) ([]reportSource, error) {
	var out []reportSource
	var total uint64
	for _, f := range zr.File {
		name := f.Name
		if f.NonUTF8 || !utf8.ValidString(name) {
			if s, err := simplifiedchinese.GB18030.NewDecoder().String(name); err == nil {
				name = s
			}
		}
		base := path.Base(name)
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(base, "._") || !reportExtensions[strings.ToLower(path.Ext(name))] {
			continue
		}
		if len(out) >= reportZipMaxFiles {
			return nil, fmt.Errorf("ZIP 文件中的报告超过 %d 份，请分批检查", reportZipMaxFiles)
		}
		total += f.UncompressedSize64
		if total > reportZipMaxTotal {
			return nil, errors.New("ZIP 文件解压后过大，疑为异常文件，不予读取")
		}
		out = append(out, reportSource{name: name, read: func() *reportDoc { return reportZipEntry(name, f) }})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// reportZipEntry reads and checks one file of a zip, inflating at most
// reportMaxFile bytes whatever its header says.
func reportZipEntry(name string, f *zip.File) *reportDoc {
	if f.UncompressedSize64 > reportMaxFile {
		return &reportDoc{name: name, err: fmt.Errorf("文件超过 %d MB，不像是年度报告", reportMaxFile>>20)}
	}
	rc, err := f.Open()
	if err != nil {
		return &reportDoc{name: name, err: errors.New("ZIP 文件中的这个文件无法解压")}
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, reportMaxFile+1))
	switch {
	case err != nil:
		return &reportDoc{name: name, err: errors.New("ZIP 文件中的这个文件已损坏，无法解压")}
	case len(data) > reportMaxFile:
		return &reportDoc{name: name, err: fmt.Errorf("文件超过 %d MB，不像是年度报告", reportMaxFile>>20)}
	}
	return reportCheckData(name, data)
}
