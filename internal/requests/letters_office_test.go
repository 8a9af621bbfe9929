//go:build unix

package requests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"gongkai/internal/annual"
)

// The letters as the people who receive them see them: every letter kind
// and outcome, as DOCX opened by LibreOffice and as the product's own PDF,
// read back by poppler. For each: the page count, no doubled punctuation,
// and the agency and date on the page of the last paragraph. LibreOffice
// runs one at a time (a lock file, across test processes too) with a
// profile directory of its own. Without soffice or pdftotext the test
// fails under CI=true and is skipped elsewhere.

var sofficeMu sync.Mutex

func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (apt-get install %s; .ci/run installs it)", name, pkg)
		}
		t.Skipf("%s is not installed (apt-get install %s)", name, pkg)
	}
	return path
}

// docxToPDF converts DOCX documents to PDF with LibreOffice in one run.
func docxToPDF(t *testing.T, docs map[string][]byte) map[string][]byte {
	t.Helper()
	soffice := needTool(t, "soffice", "libreoffice-writer-nogui")
	sofficeMu.Lock()
	defer sofficeMu.Unlock()
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
	profile := filepath.Join(t.TempDir(), "lo-profile")
	args := []string{"--headless", "--norestore", "-env:UserInstallation=file://" + profile, "--convert-to", "pdf", "--outdir", filepath.Join(dir, "out")}
	for name, b := range docs {
		p := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	cmd := exec.Command(soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	got := map[string][]byte{}
	for name := range docs {
		b, err := os.ReadFile(filepath.Join(dir, "out", name+".pdf"))
		if err != nil {
			t.Fatalf("soffice did not convert %s: %v", name, err)
		}
		got[name] = b
	}
	return got
}

// pdfPages is a PDF's page count (poppler's pdfinfo).
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	needTool(t, "pdfinfo", "poppler-utils")
	cmd := exec.Command("pdfinfo", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pdfText is the text of one page (0: all), without white space.
func pdfText(t *testing.T, pdf []byte, page int) string {
	t.Helper()
	needTool(t, "pdftotext", "poppler-utils")
	args := []string{"-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	cmd := exec.Command("pdftotext", append(args, "-", "-")...)
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// allLetters is one letter of every kind and outcome, and the answer
// letter at lengths that move its end across a page boundary.
func allLetters(t *testing.T) map[string]Letter {
	t.Helper()
	out := map[string]Letter{}
	for i, key := range LetterKeys() {
		row, sub, _ := strings.Cut(key, "/")
		l, err := WriteLetter("", letterData(t, annual.RowKey(row), sub))
		if err != nil {
			t.Fatal(err)
		}
		l.Number = fmt.Sprintf("福州关依复〔2024〕%d号", i+1)
		out[fmt.Sprintf("answer-%02d", i)] = l
	}
	base := NoticeData{Unit: "福州海关", Office: testOffice, ReceiptNo: "YSQ20240927000001", Applicant: "张三", ReceivedOn: d("2024-09-27"),
		Description: "2024年行政处罚决定书目录。", On: d("2024-10-08"), Due: d("2024-10-29"), Days: 10, Yuan: 100, Pages: 120, Bands: DefaultFeeBands,
		PartyName: "福州某贸易有限公司", ConsultedOn: d("2024-09-30"), RepliedOn: d("2024-10-09"), ReasonsOn: d("2024-10-09"), Note: "请写明决定书的文号"}
	for _, v := range []struct {
		name string
		kind NoticeKind
		set  func(*NoticeData)
	}{
		{"correction", NoticeCorrection, nil}, {"extension", NoticeExtension, nil},
		{"fee-request", NoticeFee, func(n *NoticeData) { n.Basis = PerRequest }},
		{"fee-page", NoticeFee, func(n *NoticeData) { n.Basis = PerPage }},
		{"consult-third", NoticeConsult, func(n *NoticeData) { n.Party = PartyThird }},
		{"consult-agency", NoticeConsult, func(n *NoticeData) { n.Party = PartyAgency }},
		{"reasons", NoticeReasons, nil}, {"later", NoticeLater, nil}, {"third-party", NoticeThirdParty, nil},
	} {
		n := base
		if v.set != nil {
			v.set(&n)
		}
		l, err := WriteNotice(v.kind, n)
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		l.Number = "福州关依" + v.name + "〔2024〕1号"
		out["notice-"+v.name] = l
	}
	for k := 0; k <= 40; k += 2 {
		d := letterData(t, annual.RowDisclosed, "")
		d.Note = strings.Repeat("所申请的信息详见附件一至附件三，共计十二页。", k)
		l, err := WriteLetter("", d)
		if err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("length-%02d", k)] = l
	}
	return out
}

// checkPrinted checks one printed letter: pages, punctuation, and the
// last paragraph's end, the agency and the date on the same (last) page.
func checkPrinted(t *testing.T, name, how string, l Letter, pdf []byte) int {
	t.Helper()
	pages := pdfPages(t, pdf)
	all := pdfText(t, pdf, 0)
	if doubled.MatchString(all) {
		t.Errorf("%s (%s): doubled punctuation %q", name, how, doubled.FindString(all))
	}
	if !strings.Contains(all, l.FullTitle()) {
		t.Errorf("%s (%s): the title %q is not printed", name, how, l.FullTitle())
	}
	last := []rune(strings.Join(strings.Fields(l.Paragraphs[len(l.Paragraphs)-1]), ""))
	tail := string(last[max(0, len(last)-10):])
	date := ChineseDate(l.Date)
	page := func(s string) int {
		for p := pages; p >= 1; p-- {
			if strings.Contains(pdfText(t, pdf, p), s) {
				return p
			}
		}
		return 0
	}
	pl, pd, pa := page(tail), page(date), page(l.Agency+date)
	if pl == 0 || pd == 0 || pl != pd || pd != pages {
		t.Errorf("%s (%s): last paragraph on page %d, date on page %d of %d", name, how, pl, pd, pages)
	}
	if pa == 0 && pd != 0 && !strings.Contains(pdfText(t, pdf, pd), l.Agency) {
		t.Errorf("%s (%s): the agency is not above the date on page %d", name, how, pd)
	}
	return pages
}

func TestLettersPrinted(t *testing.T) {
	needFile(t, DefaultFontPath, "fonts-arphic-gbsn00lp")
	letters := allLetters(t)
	docs := map[string][]byte{}
	for name, l := range letters {
		b, err := l.DOCX()
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = b
	}
	converted := docxToPDF(t, docs)
	maxPages := map[string]int{}
	for name, l := range letters {
		own, err := l.PDF(PDFFonts{})
		if err != nil {
			t.Fatal(err)
		}
		maxPages["pdf"] = max(maxPages["pdf"], checkPrinted(t, name, "PDF", l, own))
		maxPages["docx"] = max(maxPages["docx"], checkPrinted(t, name, "DOCX in LibreOffice", l, converted[name]))
	}
	// The longest letters do run over a page: the keeping together was
	// tested across a page boundary.
	if maxPages["pdf"] < 2 || maxPages["docx"] < 2 {
		t.Errorf("no letter reached a second page: %v", maxPages)
	}
	t.Logf("%d letters; most pages: %v", len(letters), maxPages)
}
