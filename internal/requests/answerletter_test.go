package requests

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

func letterData(t *testing.T, row annual.RowKey, sub string) LetterData {
	t.Helper()
	return LetterData{Unit: "福州海关", ReceiptNo: "YSQ20240305000012", Applicant: "张三",
		ReceivedOn: mustDate(t, "2024-03-05"), AnsweredOn: mustDate(t, "2024-03-28"),
		Description: "2023年福州口岸进口冻品检疫情况", Outcome: row, SubKind: sub, Note: "详见附件。"}
}

func mustDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Every outcome row has a default text that cites an article and whose
// placeholders are all known, and every letter ends with the remedy notice.
func TestDefaultLetterTexts(t *testing.T) {
	cite := regexp.MustCompile(`第[一二三四五六七八九十]+条|国办函`)
	for _, key := range LetterKeys() {
		text, ok := DefaultLetterTexts[key]
		if !ok {
			t.Errorf("no default text for %s", key)
			continue
		}
		if err := ValidLetterText(text); err != nil {
			t.Errorf("%s: %v", key, err)
		}
		if !cite.MatchString(text) {
			t.Errorf("%s cites no article: %s", key, text)
		}
		row, sub, _ := strings.Cut(key, "/")
		l, err := WriteLetter("", letterData(t, annual.RowKey(row), sub))
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(l.Paragraphs, "\n")
		if strings.Contains(all, "{") || !strings.Contains(all, "张三") || !strings.Contains(all, "2024年3月5日") {
			t.Errorf("%s: placeholders not filled: %s", key, all)
		}
		if l.Paragraphs[len(l.Paragraphs)-1] != RemedyNotice || !strings.Contains(RemedyNotice, "60日") || !strings.Contains(RemedyNotice, "6个月") {
			t.Errorf("%s: remedy notice missing", key)
		}
	}
	if len(LetterKeys()) != 23 {
		t.Fatalf("%d letter keys, want the 21 outcome rows and 2 customs sub-kinds", len(LetterKeys()))
	}
}

func TestValidLetterText(t *testing.T) {
	for text, want := range map[string]bool{
		"": false,
		"{申请人}：依据条例第三十六条，{说明}":   true,
		"{申请人}：依据条例第三十六条，{理由}":   false,
		"{申请人}：依据条例第三十六条，{说明":    false,
		"{申请人}：我们决定公开。":          false,
		"依据国办函〔2020〕109号第十条，收费。": true,
	} {
		err := ValidLetterText(text)
		if (err == nil) != want {
			t.Errorf("%q: err %v, want ok=%v", text, err, want)
		}
		if err != nil && !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: %v is not a field error", text, err)
		}
	}
}

func TestLetterDOCX(t *testing.T) {
	l, err := WriteLetter("", letterData(t, annual.RowPartlyDisclosed, ""))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := l.DOCX()
	if ContentHash(b) != ContentHash(b2) {
		t.Fatal("DOCX output is not deterministic")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			doc = string(x)
		}
	}
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		if !names[n] {
			t.Fatalf("missing part %s", n)
		}
	}
	// The text read back through annual's DOCX reader, as a reader would.
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(doc, "")
	for _, want := range []string{"政府信息公开申请答复书", "第三十七条", "60日内依法申请行政复议", "福州海关", "2024年3月28日"} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
}

func TestLetterPDF(t *testing.T) {
	if _, err := os.Stat(DefaultFontPath); err != nil {
		t.Fatalf("the CJK font %s is not installed (apt-get install fonts-droid-fallback; .ci/run installs it)", DefaultFontPath)
	}
	l, err := WriteLetter("", letterData(t, annual.RowWithheldThirdPartyRights, ""))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.PDF(PDFFonts{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("/FontFile2")) {
		t.Fatal("not a PDF with an embedded TrueType font")
	}
	// fpdf's font subsetting is not byte-reproducible between runs, so a
	// stored letter is checked against its recorded hash, not regenerated.
	if _, err := l.PDF(PDFFonts{CJK: filepath.Join(t.TempDir(), "none.ttf")}); err == nil || !strings.Contains(errs.MessageOf(err), "requests.pdf_font") {
		t.Fatalf("missing font: %v", err)
	}
	// The Chinese text must come back out of the PDF.
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed: text extraction not checked")
		return
	}
	path := filepath.Join(t.TempDir(), "l.pdf")
	os.WriteFile(path, b, 0o644)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"政府信息公开申请答复书", "第十五条", "行政复议", "福州海关"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, out)
		}
	}
}
