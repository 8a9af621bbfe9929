package requests

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// doubled finds the punctuation that filling a text must never leave twice.
var doubled = regexp.MustCompile(`[。，；、：？！][。，；、：]|。”。|，，`)

func asForm(err error, fe **errs.FormError) bool { return errors.As(err, fe) }

func letterData(t *testing.T, row annual.RowKey, sub string) LetterData {
	t.Helper()
	return LetterData{Unit: "福州海关", Office: testOffice, ReceiptNo: "YSQ20240305000012", Applicant: "张三",
		ReceivedOn: mustDate(t, "2024-03-05"), AnsweredOn: mustDate(t, "2024-03-28"),
		Description: "2023年福州口岸进口冻品检疫情况。", Outcome: row, SubKind: sub, Note: "详见附件。",
		History: historyFor(row, sub), Published: &PublishedRef{Title: "2023年福州口岸进口冻品检疫情况通报", On: mustDate(t, "2024-01-10"), URL: "http://fuzhou.customs.gov.cn/items/42"}}
}

// historyFor is a history that meets the outcome's prerequisites.
func historyFor(row annual.RowKey, sub string) []Event {
	evs := []Event{ev(Registered, "2024-03-05")}
	switch row {
	case annual.RowUnavailableStillUnclear:
		evs = append(evs, Event{Kind: CorrectionRequested, On: d("2024-03-06"), Note: "文号"}, ev(Corrected, "2024-03-11"))
	case annual.RowNotProcessedExcessive:
		evs = append(evs, ev(ReasonsRequested, "2024-03-06"))
	case annual.RowOtherNoCorrection:
		return append(evs, Event{Kind: CorrectionRequested, On: d("2024-03-06"), Note: "文号"})
	case annual.RowOtherNoFee:
		return append(evs, Event{Kind: FeeNoticed, On: d("2024-03-06"), Yuan: 100})
	}
	return append(evs, Event{Kind: Decided, On: d("2024-03-27"), Outcome: row, SubKind: sub, PartyName: "福建省商务厅", Contact: "（0591）87000000"})
}

func mustDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Every outcome has a default text that cites an article, whose
// placeholders are all known and filled, with no doubled punctuation, and
// every letter carries the remedy notice once, at its end.
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
		all := l.Text()
		if strings.Contains(all, "{") || l.Addressee != "张三" || !strings.Contains(all, "2024年3月5日") || l.FullTitle() != "福州海关政府信息公开申请答复书" {
			t.Errorf("%s: placeholders not filled: %s", key, all)
		}
		if doubled.MatchString(all) {
			t.Errorf("%s: doubled punctuation %q in\n%s", key, doubled.FindString(all), all)
		}
		if l.Paragraphs[len(l.Paragraphs)-1] != RemedyNotice || strings.Count(all, "行政复议") != 1 || strings.Count(all, "经审查") > 1 {
			t.Errorf("%s: the remedy notice once at the end, one 经审查:\n%s", key, all)
		}
	}
	if len(LetterKeys()) != 25 {
		t.Fatalf("%d letter keys, want the 21 outcome rows and 4 sub-kinds", len(LetterKeys()))
	}
	// 第三十六条第（一）项 and 第（五）项 say where and who.
	l, _ := WriteLetter("", letterData(t, annual.RowDisclosed, SubAlreadyPublished))
	if all := l.Text(); !strings.Contains(all, "第三十六条第（一）项") || !strings.Contains(all, "《2023年福州口岸进口冻品检疫情况通报》已于2024年1月10日") ||
		!strings.Contains(all, "http://fuzhou.customs.gov.cn/items/42") {
		t.Errorf("already published:\n%s", all)
	}
	l, _ = WriteLetter("", letterData(t, annual.RowUnavailableNotHeld, SubNotThisAgency))
	if all := l.Text(); !strings.Contains(all, "第三十六条第（五）项") || !strings.Contains(all, "该政府信息由福建省商务厅负责公开（联系方式：（0591）87000000）") {
		t.Errorf("not this agency's:\n%s", all)
	}
	unknown := letterData(t, annual.RowUnavailableNotHeld, SubNotThisAgency)
	unknown.History = []Event{ev(Registered, "2024-03-05"), {Kind: Decided, On: d("2024-03-27"), Outcome: annual.RowUnavailableNotHeld, SubKind: SubNotThisAgency}}
	if l, _ := WriteLetter("", unknown); !strings.Contains(l.Text(), "暂无法确定负责公开该政府信息的行政机关") {
		t.Errorf("agency not known:\n%s", l.Text())
	}
	noItem := letterData(t, annual.RowDisclosed, SubAlreadyPublished)
	noItem.Published = nil
	if _, err := WriteLetter("", noItem); !errs.Is(err, errs.Invalid) {
		t.Errorf("already published without the item: %v", err)
	}
}

// The letter recounts only the steps that happened (办理经过).
func TestProcedure(t *testing.T) {
	if p := Procedure([]Event{ev(Registered, "2024-03-05"), decide("2024-03-06", annual.RowDisclosed)}); p != "" {
		t.Errorf("a plain answer recounts %q", p)
	}
	p := Procedure([]Event{ev(Registered, "2024-03-05"), {Kind: CorrectionRequested, On: d("2024-03-06"), Note: "x"}, ev(Corrected, "2024-03-11"),
		{Kind: ConsultStarted, On: d("2024-03-12")}, {Kind: ConsultEnded, On: d("2024-03-20"), Reply: ReplyObjected, Note: "商业秘密"},
		{Kind: Extended, On: d("2024-04-01"), Days: 10},
		{Kind: Decided, On: d("2024-04-02"), Outcome: annual.RowDisclosed, PublicInterest: true, Note: "公共安全"}})
	for _, want := range []string{"2024年3月6日告知您补正", "2024年3月11日收到您补正后的申请", "2024年3月12日书面征求第三方意见", "第三方于2024年3月20日答复不同意公开",
		"延长10个工作日", "不公开会对公共利益造成重大影响"} {
		if !strings.Contains(p, want) {
			t.Errorf("procedure lacks %q: %s", want, p)
		}
	}
	if strings.Contains(p, "商业秘密") {
		t.Errorf("the third party's reasons go to the applicant: %s", p)
	}
	agency := Procedure([]Event{{Kind: ConsultStarted, On: d("2024-03-12"), Party: PartyAgency}, {Kind: ConsultEnded, On: d("2024-04-10"), Reply: ReplyNone}})
	if !strings.Contains(agency, "征求其他机关意见") || !strings.Contains(agency, "视为同意公开") {
		t.Errorf("agency: %s", agency)
	}
}

func TestValidLetterText(t *testing.T) {
	for text, want := range map[string]bool{
		"": false,
		"{申请人}：依据条例第三十六条，{说明}":             true,
		"{申请人}：依据条例第三十六条，{办理经过}{说明}":       true,
		"{申请人}：依据条例第三十六条，{理由}":             false,
		"{申请人}：依据条例第三十六条，{说明":              false,
		"{申请人}：我们决定公开。":                    false,
		"依据国办函〔2020〕109号第十条，收费。":           true,
		"依据条例第三十六条公开。如不服，可申请行政复议或者提起行政诉讼。": false, // the remedy notice is added once, by the letter
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
	l.Number = "福州关依复〔2024〕7号"
	b, err := l.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := l.DOCX()
	if ContentHash(b) != ContentHash(b2) {
		t.Fatal("DOCX output is not deterministic")
	}
	parts := docxParts(t, b)
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/footer1.xml", "word/fontTable.xml"} {
		if _, ok := parts[n]; !ok {
			t.Fatalf("missing part %s", n)
		}
	}
	doc := parts["word/document.xml"]
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(doc, "")
	for _, want := range []string{"福州海关政府信息公开申请答复书", "福州关依复〔2024〕7号", "张三：", "第三十七条", "60日内依法申请行政复议", "2024年3月28日", "联系人：王芳"} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	// The fonts GB/T 9704 names, with free alternatives; the last paragraph
	// keeps with the signature.
	if !strings.Contains(doc, `w:eastAsia="仿宋_GB2312"`) || !strings.Contains(doc, `w:eastAsia="方正小标宋简体"`) ||
		!strings.Contains(parts["word/fontTable.xml"], `w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong,AR PL SungtiL GB"`) {
		t.Error("DOCX fonts")
	}
	remedy := strings.Index(doc, "60日内依法申请行政复议")
	if open := strings.LastIndex(doc[:remedy], "<w:p>"); !strings.Contains(doc[open:remedy], "<w:keepNext/>") {
		t.Error("the last paragraph does not keep with the signature")
	}
	if !strings.Contains(parts["word/footer1.xml"], "PAGE") {
		t.Error("no page number")
	}
}

func docxParts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		x, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(x)
	}
	return out
}

func TestLetterPDF(t *testing.T) {
	needFile(t, DefaultFontPath, "fonts-arphic-gbsn00lp")
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
	// The 宋体-class serif by default (its PostScript name in the subset).
	if !bytes.Contains(b, []byte("/BaseFont /utf8gbsn00lp")) {
		t.Error("the default CJK face is not AR PL SungtiL GB")
	}
	// fpdf's font subsetting is not byte-reproducible between runs, so a
	// stored letter is checked against its recorded hash, not regenerated.
	if _, err := l.PDF(PDFFonts{CJK: filepath.Join(t.TempDir(), "none.ttf")}); err == nil || !strings.Contains(errs.MessageOf(err), "requests.pdf_font") {
		t.Fatalf("missing font: %v", err)
	}
	text := pdfText(t, b, 0)
	for _, want := range []string{"福州海关政府信息公开申请答复书", "第十五条", "行政复议", "福州海关"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

func needFile(t *testing.T, path, pkg string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (apt-get install %s; .ci/run installs it)", path, pkg)
		}
		t.Skipf("%s is not installed (apt-get install %s)", path, pkg)
	}
}

// Without the setting, a missing default face falls back to the present
// default; a face the setting names must be there.
func TestReadFontFallback(t *testing.T) {
	dir := t.TempDir()
	have := filepath.Join(dir, "have.ttf")
	os.WriteFile(have, []byte("font"), 0o644)
	missing := filepath.Join(dir, "missing.ttf")
	if b, path, err := readFont("", missing, have, "requests.pdf_font", "pkg"); err != nil || path != have || string(b) != "font" {
		t.Errorf("fallback: %q %v", path, err)
	}
	if _, _, err := readFont(missing, have, have, "requests.pdf_font", "pkg"); err == nil || !strings.Contains(errs.MessageOf(err), "requests.pdf_font") {
		t.Errorf("a named face that is missing: %v", err)
	}
}
