package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/rectify"
	"gongkai/internal/requests"
)

// Sources is what a build reads of the records, for a set of units (the
// unit alone, or the unit and every unit below it) and a year. The store
// implements it; every figure comes from one of these reads.
type Sources interface {
	Unit(ctx context.Context, id int64) (org.Unit, error)
	Units(ctx context.Context) ([]org.Unit, error)
	UnitSettings(ctx context.Context, unitID int64) (map[string]string, error)
	// FirstRecordYear is the earliest year any record of the units falls
	// in (0 when they have none).
	FirstRecordYear(ctx context.Context, unitIDs []int64) (int, error)
	PublishStatsOf(ctx context.Context, unitIDs []int64, year int) (publish.YearStats, error)
	Table2Of(ctx context.Context, unitIDs []int64, year int) (*annual.Table2, error)
	RequestCountsOf(ctx context.Context, unitIDs []int64, year int) ([]requests.Count, error)
	RequestAppealsOf(ctx context.Context, unitIDs []int64, year int) ([]requests.Appeal, error)
	RequestFeesOf(ctx context.Context, unitIDs []int64, year int) (yuan, count int, err error)
	RequestSubjectCounts(ctx context.Context, unitIDs []int64, year int) ([]requests.SubjectCount, error)
	SectionOneThree(ctx context.Context, unitIDs []int64, year int) (desk.SectionOneThree, error)
	// MediaColumns lists every new-media special column (专栏) the units
	// have ever posted in, as desk.ColumnFigures without issues: the
	// catalogue names each, with 0 in a year without an issue.
	MediaColumns(ctx context.Context, unitIDs []int64) ([]desk.ColumnFigures, error)
	// Problems lists the rectification register's problems of the units
	// stated in the given report years.
	Problems(ctx context.Context, unitIDs []int64, years ...int) ([]rectify.Problem, error)
	// PriorReport is a unit's report of a year as it was published (the
	// current version) or, failing that, imported as history; nil when
	// there is neither. source says which ("已发布", "已导入").
	PriorReport(ctx context.Context, unitID int64, year int, scope annual.Scope) (r *annual.Report, source string, err error)
}

// Request names the report to build.
type Request struct {
	UnitID int64
	Year   int
	Scope  annual.Scope
	// Now is the time of the build; the current year may be built while it
	// is under way, a later one may not.
	Now time.Time
}

// Draft is a report built from the records as they are now.
type Draft struct {
	Doc      *annual.Document
	Stats    []Stat
	Facts    *Facts
	Template annual.TextTemplate
	// Prior is last year's report the cross-year checks used, and where it
	// came from; nil when none was known.
	Prior       *annual.Report
	PriorSource string
	BuiltAt     time.Time
}

// Counts returns the draft's errors and warnings.
func (d *Draft) Counts() (errors, warnings int) {
	for _, f := range d.Doc.Report.Findings {
		if f.Severity == annual.Error {
			errors++
		} else {
			warnings++
		}
	}
	return
}

// Stat returns a statistic of the draft by key.
func (d *Draft) Stat(key string) (Stat, bool) {
	for _, s := range d.Stats {
		if s.Def.Key == key {
			return s, true
		}
	}
	return Stat{}, false
}

// Title is a report's title: 「福州海关（本级机关）2024年政府信息公开工作年度报告」.
func Title(u org.Unit, scope annual.Scope, year int) string {
	return fmt.Sprintf("%s（%s）%d年政府信息公开工作年度报告", u.Name, scope.Label(), year)
}

// ScopeUnits lists the units a report covers, each once and the unit
// first: the unit, and for 全系统 every unit below it.
func ScopeUnits(units []org.Unit, unitID int64, scope annual.Scope) []int64 {
	if scope == annual.ScopeAll {
		return org.Descendants(units, unitID) // the unit and those below it
	}
	return []int64{unitID}
}

// CheckYear refuses a year the unit has no report for: before its first
// records, or after the current year.
func CheckYear(year, first int, now time.Time) error {
	cur := now.In(beijing).Year()
	switch {
	case year > cur:
		return errs.E(errs.Invalid, "%d 年尚未到来，只能生成 %d 年及以前的年度报告", year, cur)
	case first == 0:
		return errs.E(errs.Invalid, "该单位还没有任何业务记录，无法生成年度报告")
	case year < first:
		return errs.E(errs.Invalid, "该单位最早的业务记录在 %d 年，不能生成 %d 年的年度报告", first, year)
	}
	return nil
}

var beijing = time.FixedZone("CST", 8*3600)

// Gather reads the facts of a report from the records.
func Gather(ctx context.Context, src Sources, req Request) (*Facts, error) {
	if req.Scope != annual.ScopeSelf && req.Scope != annual.ScopeAll {
		return nil, errs.E(errs.Invalid, "报告范围只能是本级机关或全系统")
	}
	u, err := src.Unit(ctx, req.UnitID)
	if err != nil {
		return nil, err
	}
	units, err := src.Units(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := src.UnitSettings(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	f := &Facts{Unit: u, Scope: req.Scope, UnitIDs: ScopeUnits(units, u.ID, req.Scope), Year: req.Year, Profile: ProfileOf(u, settings), Settings: settings}
	if f.FirstYear, err = src.FirstRecordYear(ctx, f.UnitIDs); err != nil {
		return nil, err
	}
	if err := CheckYear(req.Year, f.FirstYear, req.Now); err != nil {
		return nil, err
	}
	if f.Publish, err = src.PublishStatsOf(ctx, f.UnitIDs, req.Year); err != nil {
		return nil, fmt.Errorf("publishing figures: %w", err)
	}
	if f.Table2, err = src.Table2Of(ctx, f.UnitIDs, req.Year); err != nil {
		return nil, fmt.Errorf("table 二: %w", err)
	}
	if f.Counts, err = src.RequestCountsOf(ctx, f.UnitIDs, req.Year); err != nil {
		return nil, fmt.Errorf("table 三: %w", err)
	}
	f.Table3 = requests.Table3(f.Counts)
	if !f.Profile.CustomsRows {
		f.Table3.ExtraRows = nil
	}
	if f.Appeals, err = src.RequestAppealsOf(ctx, f.UnitIDs, req.Year); err != nil {
		return nil, fmt.Errorf("table 四: %w", err)
	}
	f.Table4 = requests.Table4(req.Year, f.Appeals)
	if f.FeesYuan, f.FeesN, err = src.RequestFeesOf(ctx, f.UnitIDs, req.Year); err != nil {
		return nil, fmt.Errorf("fees: %w", err)
	}
	if f.Subjects, err = src.RequestSubjectCounts(ctx, f.UnitIDs, req.Year); err != nil {
		return nil, fmt.Errorf("subjects: %w", err)
	}
	if f.Desk, err = src.SectionOneThree(ctx, f.UnitIDs, req.Year); err != nil {
		return nil, fmt.Errorf("platform figures: %w", err)
	}
	if f.Columns, err = src.MediaColumns(ctx, f.UnitIDs); err != nil {
		return nil, fmt.Errorf("new-media columns: %w", err)
	}
	problems, err := src.Problems(ctx, f.UnitIDs, req.Year-1, req.Year)
	if err != nil {
		return nil, fmt.Errorf("rectification register: %w", err)
	}
	for _, p := range problems {
		if p.Year == req.Year {
			f.Problems = append(f.Problems, p)
		} else {
			f.LastProblems = append(f.LastProblems, p)
		}
	}
	f.SectionFive = rectify.SectionFive(req.Year, f.LastProblems, f.Problems)
	return f, nil
}

// Build builds a draft of a report from the records as they are now, with
// the unit's template (or the default one) and every check: the reader's
// rules, the cross-year rules against last year's report, and the builder's
// own (Check).
func Build(ctx context.Context, src Sources, req Request) (*Draft, error) {
	f, err := Gather(ctx, src, req)
	if err != nil {
		return nil, err
	}
	tmpl, _, err := TemplateOf(f.Settings, req.Scope)
	if err != nil {
		return nil, err
	}
	d := &Draft{Facts: f, Template: tmpl, BuiltAt: req.Now, Stats: Catalogue(f)}
	d.Doc = compose(f, d.Stats, tmpl)
	prior, source, err := src.PriorReport(ctx, req.UnitID, req.Year-1, req.Scope)
	if err != nil {
		return nil, fmt.Errorf("last year's report: %w", err)
	}
	if prior == nil {
		// Last year's tables from the records, when the records reach back.
		if f.FirstYear <= req.Year-1 {
			pt2, err := src.Table2Of(ctx, f.UnitIDs, req.Year-1)
			if err != nil {
				return nil, err
			}
			pc, err := src.RequestCountsOf(ctx, f.UnitIDs, req.Year-1)
			if err != nil {
				return nil, err
			}
			prior = annual.NewReport()
			prior.Unit, prior.Year, prior.Table2, prior.Table3 = d.Doc.Report.Unit, req.Year-1, pt2, requests.Table3(pc)
			source = "由业务记录生成"
		}
	}
	d.Prior, d.PriorSource = prior, source
	d.Doc.Report.Findings = Check(d)
	return d, nil
}

// compose lays out the document: title, preface, sections 一 to 六.
func compose(f *Facts, stats []Stat, tmpl annual.TextTemplate) *annual.Document {
	figs := Figures(stats)
	r := annual.NewReport()
	r.Title = Title(f.Unit, f.Scope, f.Year)
	r.Unit = f.Unit.Name + "（" + f.Scope.Label() + "）"
	r.Year = f.Year
	r.Table2 = f.Table2
	r.Table3 = f.Table3
	r.Table4 = f.Table4
	d := &annual.Document{Report: r, Scope: f.Scope, Preface: annual.Plain(f.Profile.Preface(r.Unit, f.Year))}
	for _, s := range stats {
		d.Figures = append(d.Figures, s.Figure)
	}
	one := annual.Section{Number: 1, Heading: annual.SectionHeadings[0]}
	for _, pk := range annual.PartKeys[:4] {
		part := tmpl.Part(pk.Key)
		where := "sections." + pk.Key
		if h := strings.TrimSpace(part.Heading); h != "" {
			one.Blocks = append(one.Blocks, Block(annual.BlockHeading, render(h, figs, f.Profile.AboutStep), where))
		}
		for _, line := range lines(part.Body) {
			one.Blocks = append(one.Blocks, Block(annual.BlockParagraph, render(line, figs, f.Profile.AboutStep), where))
		}
	}
	d.Sections = append(d.Sections, one)
	for i, t := range []string{annual.TableTwo, annual.TableThree, annual.TableFour} {
		d.Sections = append(d.Sections, annual.Section{Number: i + 2, Heading: annual.SectionHeadings[i+1],
			Blocks: []annual.Block{{Kind: annual.BlockTable, Table: t, Where: t}}})
	}
	five := annual.Section{Number: 5, Heading: annual.SectionHeadings[4]}
	for _, p := range f.SectionFive.Paragraphs {
		five.Blocks = append(five.Blocks, Block(annual.BlockParagraph, annual.Plain(p), "sections.5"))
	}
	d.Sections = append(d.Sections, five)
	six := annual.Section{Number: 6, Heading: annual.SectionHeadings[5]}
	six.Blocks = append(six.Blocks, Block(annual.BlockParagraph, feeSentence(f), "sections.6"))
	for _, line := range lines(tmpl.Part(annual.PartOther).Body) {
		six.Blocks = append(six.Blocks, Block(annual.BlockParagraph, render(line, figs, f.Profile.AboutStep), "sections.6"))
	}
	d.Sections = append(d.Sections, six)
	d.SyncText()
	return d
}

// Block makes a prose block.
func Block(kind annual.BlockKind, p annual.Paragraph, where string) annual.Block {
	return annual.Block{Kind: kind, Para: p, Where: where}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// render fills a line; a placeholder that cannot be filled stays as written
// (the checks report it: rule BUILD.PLACEHOLDER), so a draft is always shown.
func render(line string, figs map[string]annual.Figure, step int64) annual.Paragraph {
	p, _ := annual.Fill(line, figs, step)
	return p
}

// feeSentence is section 六's account of the 信息处理费 charged (条例第四十二条,
// 国办函〔2020〕109号), bound to the fee records.
func feeSentence(f *Facts) annual.Paragraph {
	lead := fmt.Sprintf("%d年%s", f.Year, Subject(f.Unit, f.Scope))
	if f.FeesN == 0 {
		return annual.Paragraph{Runs: []annual.Run{{Text: lead + "无收取信息处理费情况。"}}}
	}
	return annual.Paragraph{Runs: []annual.Run{
		{Text: lead + "共收取信息处理费"}, {Text: fmt.Sprint(f.FeesYuan), Figure: "依申请.信息处理费"},
		{Text: "元，涉及政府信息公开申请"}, {Text: fmt.Sprint(f.FeesN), Figure: "依申请.收费件数"}, {Text: "件。"},
	}}
}
