package export

import (
	"bytes"
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tools the format tests check exports with: LibreOffice (is the Word
// document sound, and how does it lay out), poppler (what text each PDF
// page holds) and the TrueType face the PDF embeds. .ci/run installs them;
// without one a test fails in CI and is skipped elsewhere.

// need returns the path of a command the test needs.
func need(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" is not installed (Debian package "+pkg+")")
	}
	return p
}

// needFile makes sure a file the test needs is there.
func needFile(t testing.TB, path, pkg string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		missing(t, path+" is missing (Debian package "+pkg+")")
	}
}

func missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(what + ": .ci/run should have installed it")
	}
	t.Skip(what)
}

// soffice converts a Word document to PDF with LibreOffice: one conversion
// at a time on the machine (a lock file, since packages' tests run in
// parallel), each with a profile directory of its own, killed with its
// children when it takes longer than a few minutes.
func soffice(t *testing.T, docx []byte) []byte {
	t.Helper()
	bin := need(t, "soffice", "libreoffice-writer-nogui")
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "gongkai-soffice.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(dir, "lo-"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "-env:UserInstallation=file://"+profile,
		"--convert-to", "pdf", "--outdir", dir, in)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("LibreOffice did not finish in time: %s", out)
	}
	if err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v\n%s", err, out)
	}
	return pdf
}

// pdfPages returns the text of each page of a PDF as pdftotext -layout
// extracts it, page by page.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	need(t, "pdftotext", "poppler-utils")
	info := need(t, "pdfinfo", "poppler-utils")
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(info, path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	n := 0
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if n == 0 {
		t.Fatalf("pdfinfo finds no pages:\n%s", out)
	}
	pages := make([]string, n)
	for i := range n {
		p := strconv.Itoa(i + 1)
		var stderr bytes.Buffer
		cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-f", p, "-l", p, path, "-")
		cmd.Stderr = &stderr
		text, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext page %s: %v %s", p, err, stderr.String())
		}
		pages[i] = strings.TrimRight(string(text), "\f\n ")
	}
	return pages
}

// squeeze removes white space, for finding words a layout broke apart.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// word is a word pdftotext -bbox finds on a page, with its box in points.
type word struct {
	page                   int
	text                   string
	xMin, yMin, xMax, yMax float64
}

var (
	pageExpr = regexp.MustCompile(`<page `)
	wordExpr = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// pdfWords returns every word of a PDF with its page (from 1) and box.
func pdfWords(t *testing.T, pdf []byte) []word {
	t.Helper()
	bin := need(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-bbox", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var words []word
	page := 0
	for _, l := range strings.Split(string(out), "\n") {
		if pageExpr.MatchString(l) {
			page++
			continue
		}
		m := wordExpr.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		words = append(words, word{page: page, text: html.UnescapeString(m[5]), xMin: f(m[1]), yMin: f(m[2]), xMax: f(m[3]), yMax: f(m[4])})
	}
	return words
}
