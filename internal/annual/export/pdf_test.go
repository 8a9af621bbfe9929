package export

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

func needFont(t testing.TB) {
	t.Helper()
	needFile(t, DefaultPDFFont, "fonts-arphic-gbsn00lp")
}

// The PDF checked page by page as pdftotext -layout extracts it: the title,
// the headings and figures; table 三's header opening every page the table
// runs onto; every row's label on the page (and beside the line) of its
// numbers; a label spanning rows printed again on each page its rows are
// on; the page numbers.
func TestPDFPageByPage(t *testing.T) {
	needFont(t)
	crossed, reprinted := false, false
	for _, tc := range testDocs(t) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := PDF(tc.doc, PDFOptions{})
			if err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, b)
			if len(pages) < 3 || len(pages) > 10 {
				t.Errorf("%d pages", len(pages))
			}
			checkPrinted(t, tc.doc, pages)
			for i, p := range pages {
				lines := nonBlank(p)
				if want := "— " + strconv.Itoa(i+1) + " —"; len(lines) == 0 || strings.TrimSpace(lines[len(lines)-1]) != want {
					t.Errorf("page %d does not end with its number %q", i+1, want)
				}
			}
			g := tc.doc.Grid(annual.TableThree)
			distinct := tc.name != "seed"    // the seed's rows are mostly zeros
			onPage := map[int]map[int]bool{} // grid row → pages it is on
			for r := g.HeadRows; r < len(g.Rows); r++ {
				row := g.Rows[r]
				var label string
				var nums []string
				for _, c := range row.Cells {
					switch c.Kind {
					case annual.CellLabel:
						label = c.Text
					case annual.CellNumber:
						nums = append(nums, c.Text)
					}
				}
				frag := []rune(squeeze(label))
				frag = frag[:min(len(frag), 5)]
				found := map[int]bool{}
				for pi, p := range pages {
					ls := strings.Split(p, "\n")
					for li, l := range ls {
						if !strings.Contains(squeeze(l), string(frag)) {
							continue
						}
						for d := -3; d <= 3; d++ {
							if li+d >= 0 && li+d < len(ls) && hasSequence(ls[li+d], nums) {
								found[pi] = true
							}
						}
					}
				}
				if len(found) == 0 {
					t.Errorf("row %q: its label is on no page beside its numbers %v", label, nums)
				}
				if distinct && len(found) != 1 {
					t.Errorf("row %q found on pages %v", label, found)
				}
				onPage[r] = found
			}
			if !distinct {
				return
			}
			// Spanning labels: printed on every page one of their rows is on.
			w, err := newPDFWriter(PDFOptions{})
			if err != nil {
				t.Fatal(err)
			}
			lay := w.layout(g)
			pagesOf := map[int]bool{}
			for r := g.HeadRows; r < len(g.Rows); r++ {
				for k, c := range g.Rows[r].Cells {
					if c.RowSpan < 2 {
						continue
					}
					spanPages := map[int]bool{}
					for i := r; i < r+c.RowSpan; i++ {
						for p := range onPage[i] {
							spanPages[p] = true
							pagesOf[p] = true
						}
					}
					if len(spanPages) > 1 {
						reprinted = true
					}
					for p := range spanPages {
						sp := pages[p]
						for _, l := range lay.lines[r][k] {
							if !strings.Contains(sp, l) {
								t.Errorf("page %d holds rows of %q but not its line %q", p+1, c.Text, l)
							}
						}
					}
				}
			}
			if len(pagesOf) > 1 {
				crossed = true
			}
		})
	}
	if !t.Failed() && (!crossed || !reprinted) {
		t.Errorf("no test document runs table 三 over a page (crossed %v) with a label spanning the break (%v): the test proves nothing", crossed, reprinted)
	}
}

func nonBlank(page string) []string {
	var out []string
	for _, l := range strings.Split(page, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// hasSequence reports whether the words of line include seq in a row.
func hasSequence(line string, seq []string) bool {
	f := strings.Fields(line)
	for i := 0; i+len(seq) <= len(f); i++ {
		ok := true
		for j, s := range seq {
			if f[i+j] != s {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// A missing font, or one fpdf cannot read, is one Chinese sentence that
// says what to install.
func TestPDFFontErrors(t *testing.T) {
	doc := syntheticDoc(false)
	_, err := PDF(doc, PDFOptions{Font: filepath.Join(t.TempDir(), "none.ttf")})
	if err == nil || errs.CodeOf(err) != errs.Unavailable || !strings.Contains(errs.MessageOf(err), "fonts-arphic-gbsn00lp") || !strings.Contains(errs.MessageOf(err), "找不到") {
		t.Errorf("missing font: %v", err)
	}
	ttc := filepath.Join(t.TempDir(), "cjk.ttc")
	os.WriteFile(ttc, append([]byte("ttcf"), make([]byte, 64)...), 0o644)
	if _, err := PDF(doc, PDFOptions{Font: ttc}); err == nil || !strings.Contains(errs.MessageOf(err), ".ttc") {
		t.Errorf("a .ttc font: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.ttf")
	os.WriteFile(junk, []byte("not a font at all, just some text"), 0o644)
	if _, err := PDF(doc, PDFOptions{Font: junk}); err == nil || !strings.Contains(errs.MessageOf(err), "TrueType") {
		t.Errorf("a file that is no font: %v", err)
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Errorf("not a coded error: %T", err)
	}
}

// The same document gives the same bytes (a published version keeps its
// exports' SHA-256).
func TestExportsAreDeterministic(t *testing.T) {
	needFont(t)
	doc := syntheticDoc(true)
	for name, f := range map[string]func() ([]byte, error){
		"pdf":  func() ([]byte, error) { return PDF(doc, PDFOptions{}) },
		"docx": func() ([]byte, error) { return DOCX(doc, DOCXOptions{}) },
		"xlsx": func() ([]byte, error) { return XLSX(doc) },
		"html": func() ([]byte, error) { return HTML(doc, HTMLOptions{Standalone: true}) },
	} {
		a, err := f()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := f()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two exports of one document differ", name)
		}
	}
}

// Nothing is printed outside the text area of GB/T 9704 (a row that ran
// past the bottom margin would be), except the page number below it.
func TestPDFWithinTextArea(t *testing.T) {
	needFont(t)
	const mm = 72 / 25.4
	left, right := pdfLeft*mm, (pdfPageW-pdfRight)*mm
	top, bottom := pdfTop*mm, pdfTextBottom*mm
	for _, tc := range testDocs(t) {
		b, err := PDF(tc.doc, PDFOptions{})
		if err != nil {
			t.Fatal(err)
		}
		footer := map[int]string{}
		for _, w := range pdfWords(t, b) {
			if w.yMin > bottom {
				footer[w.page] += w.text
				continue
			}
			if w.xMin < left-1 || w.xMax > right+1 || w.yMin < top-1 || w.yMax > bottom+1 {
				t.Errorf("%s page %d: %q at (%.1f,%.1f)–(%.1f,%.1f) pt lies outside the text area (%.1f,%.1f)–(%.1f,%.1f)",
					tc.name, w.page, w.text, w.xMin, w.yMin, w.xMax, w.yMax, left, top, right, bottom)
			}
		}
		for p, f := range footer {
			if want := "—" + strconv.Itoa(p) + "—"; f != want {
				t.Errorf("%s page %d: below the text area %q, want only the page number %q", tc.name, p, f, want)
			}
		}
	}
}
