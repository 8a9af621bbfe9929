package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/annual"
)

func TestDOCXReadsBack(t *testing.T) {
	for _, tc := range testDocs(t) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := DOCX(tc.doc, DOCXOptions{})
			if err != nil {
				t.Fatal(err)
			}
			readBack(t, tc.doc, b, "report.docx")
		})
	}
}

// Every part of the package is well-formed XML, the parts the relationships
// name are there, and the document says what GB/T 9704 and the grid say:
// A4 and its margins, the fonts with their fallbacks, a full column grid
// of the text area's width, spans and header rows.
func TestDOCXParts(t *testing.T) {
	doc := syntheticDoc(true)
	b, err := DOCX(doc, DOCXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(data)
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed: %v", f.Name, err)
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
		"word/styles.xml", "word/fontTable.xml", "word/settings.xml", "word/footer1.xml", "docProps/core.xml", "docProps/app.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("missing part %s", name)
		}
	}
	body := parts["word/document.xml"]
	for _, want := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"`,
		`w:eastAsia="方正小标宋简体"`, `w:eastAsia="仿宋_GB2312"`, `w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`, `w:eastAsia="宋体"`,
		`<w:sz w:val="44"/>`, `<w:sz w:val="32"/>`, `<w:sz w:val="21"/>`,
		`<w:tblHeader/>`, `<w:cantSplit/>`, `<w:vMerge w:val="restart"/>`, `<w:vMerge/>`, `<w:gridSpan w:val="7"/>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	fonts := parts["word/fontTable.xml"]
	for _, chain := range [][2]string{{"方正小标宋简体", "小标宋"}, {"小标宋", "宋体"}, {"宋体", "SimSun"},
		{"仿宋_GB2312", "仿宋"}, {"仿宋", "FangSong"}, {"黑体", "SimHei"}, {"楷体_GB2312", "楷体"}, {"楷体", "KaiTi"}} {
		if !strings.Contains(fonts, `<w:font w:name="`+chain[0]+`"><w:altName w:val="`+chain[1]+`"/>`) {
			t.Errorf("font table lacks %s falling back to %s", chain[0], chain[1])
		}
	}
	if core := parts["docProps/core.xml"]; !strings.Contains(core, "<dc:title>"+doc.Report.Title+"</dc:title>") || !strings.Contains(core, "<dc:creator>gongkai</dc:creator>") {
		t.Errorf("core properties: %s", core)
	}

	// Each table: a gridCol per grid column, adding up to the text area's
	// width, and every row filling the grid (spans included).
	type tbl struct {
		cols    []int
		rowSums []int
		headers int
	}
	var tables []*tbl
	d := xml.NewDecoder(strings.NewReader(body))
	var cur *tbl
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(name string) int {
			for _, a := range se.Attr {
				if a.Name.Local == name {
					n := 0
					for _, r := range a.Value {
						n = n*10 + int(r-'0')
					}
					return n
				}
			}
			return 0
		}
		switch se.Name.Local {
		case "tbl":
			cur = &tbl{}
			tables = append(tables, cur)
		case "gridCol":
			cur.cols = append(cur.cols, attr("w"))
		case "tr":
			cur.rowSums = append(cur.rowSums, 0)
		case "tc":
			cur.rowSums[len(cur.rowSums)-1]++
		case "gridSpan":
			cur.rowSums[len(cur.rowSums)-1] += attr("val") - 1
		case "tblHeader":
			cur.headers++
		}
	}
	grids := []annual.Grid{doc.Grid(annual.TableTwo), doc.Grid(annual.TableThree), doc.Grid(annual.TableFour)}
	if len(tables) != len(grids) {
		t.Fatalf("%d tables, want %d", len(tables), len(grids))
	}
	for i, tb := range tables {
		g := grids[i]
		if len(tb.cols) != len(g.Widths) {
			t.Errorf("%s: %d gridCols, want %d", g.Table, len(tb.cols), len(g.Widths))
		}
		sum := 0
		for _, c := range tb.cols {
			sum += c
		}
		if sum != textWidth {
			t.Errorf("%s: columns add up to %d twips, the text area is %d", g.Table, sum, textWidth)
		}
		if len(tb.rowSums) != len(g.Rows) {
			t.Errorf("%s: %d rows, want %d", g.Table, len(tb.rowSums), len(g.Rows))
		}
		for r, n := range tb.rowSums {
			if n != len(g.Widths) {
				t.Errorf("%s row %d covers %d columns, want %d", g.Table, r, n, len(g.Widths))
			}
		}
		if tb.headers != g.HeadRows {
			t.Errorf("%s: %d header rows, want %d", g.Table, tb.headers, g.HeadRows)
		}
	}
}

// The Word document opens in LibreOffice and prints as the format says:
// a sane number of pages, the title, every section heading, the figures,
// and table 三's header on every page the table runs over.
func TestDOCXInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion skipped in -short mode")
	}
	for _, tc := range testDocs(t) {
		t.Run(tc.name, func(t *testing.T) {
			b, err := DOCX(tc.doc, DOCXOptions{})
			if err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, soffice(t, b))
			if len(pages) < 3 || len(pages) > 8 {
				t.Errorf("%d pages, want 3 to 8", len(pages))
			}
			checkPrinted(t, tc.doc, pages)
		})
	}
}

var numberExpr = regexp.MustCompile(`\d+(?:\.\d+)?%?`)

// checkPrinted checks the text of a printed export, page by page.
func checkPrinted(t *testing.T, doc *annual.Document, pages []string) {
	t.Helper()
	all := squeeze(strings.Join(pages, "\n"))
	if !strings.Contains(squeeze(pages[0]), squeeze(doc.Report.Title)) {
		t.Errorf("the first page lacks the title %q:\n%s", doc.Report.Title, pages[0])
	}
	for _, h := range annual.SectionHeadings {
		if !strings.Contains(all, h) {
			t.Errorf("no section heading %q", h)
		}
	}
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			for _, r := range b.Para.Runs {
				if r.Figure != "" && !strings.Contains(all, squeeze(r.Text)) {
					t.Errorf("figure %s (%q) not printed", r.Figure, r.Text)
				}
			}
		}
	}
	// Every number the prose states is printed (10289, 99.3%, 0.75…).
	prose := doc.Preface.Text()
	for n := 1; n <= 6; n++ {
		prose += doc.SectionText(n)
	}
	nums := numberExpr.FindAllString(prose, -1)
	for _, n := range nums {
		if !strings.Contains(all, n) {
			t.Errorf("the prose's %q is not printed", n)
		}
	}
	if len(nums) < 5 {
		t.Errorf("only %d numbers in the prose: %q", len(nums), nums)
	}
	t2 := doc.Report.Table2
	for _, n := range []annual.Cell{t2.LicensingDecisions, t2.NormativeDocuments.InForce} {
		if !strings.Contains(all, n.String()) {
			t.Errorf("table 二's %s not printed", n)
		}
	}
	first, last := -1, -1
	for i, p := range pages {
		sp := squeeze(p)
		if first < 0 && strings.Contains(sp, annual.SectionHeadings[2]) {
			first = i
		}
		if strings.Contains(sp, "四、结转下年度继续办理") {
			last = i
		}
	}
	if first < 0 || last < first {
		t.Fatalf("table 三 not found (pages %d to %d)", first, last)
	}
	if last == first {
		t.Logf("table 三 fits on page %d", first+1)
	}
	for i := first; i <= last; i++ {
		sp := squeeze(pages[i])
		if !strings.Contains(sp, "申请人情况") || !strings.Contains(sp, "法人或其他组织") {
			t.Errorf("page %d (table 三) lacks the table's header:\n%s", i+1, pages[i])
			continue
		}
		if i > first {
			top := ""
			for _, l := range strings.Split(pages[i], "\n") {
				if strings.TrimSpace(l) != "" {
					top = l
					break
				}
			}
			if !strings.Contains(top, "申请人情况") && !strings.Contains(squeeze(top), "勾稽关系") {
				t.Errorf("page %d does not start with table 三's header but with %q", i+1, top)
			}
		}
	}
}
