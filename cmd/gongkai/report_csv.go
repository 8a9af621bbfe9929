package main

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gongkai/internal/annual"
)

// reportZipLimits bound a zip read by --csv: the reports in it, and the
// bytes they inflate to in all, so that a zip bomb is refused (each entry is
// bounded by annual.MaxFile).
var reportZipLimits = annual.ZipLimits{Files: 10_000, Total: 4 << 30}

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
	w.Write(annual.BatchHeader())
	for _, d := range docs {
		w.Write(annual.BatchRow(d.name, d.report, d.err))
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
		if !e.IsDir() && annual.IsReportName(p) {
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

// reportZipSources lists the reports in a zip file, sorted by name
// (annual.ZipReports).
func reportZipSources(zr *zip.Reader) ([]reportSource, error) {
	entries, err := annual.ZipReports(zr, reportZipLimits)
	if err != nil {
		return nil, err
	}
	out := make([]reportSource, len(entries))
	for i, e := range entries {
		out[i] = reportSource{name: e.Name, read: func() *reportDoc {
			data, err := e.Read()
			if err != nil {
				return &reportDoc{name: e.Name, err: err}
			}
			return reportCheckData(e.Name, data)
		}}
	}
	return out, nil
}
