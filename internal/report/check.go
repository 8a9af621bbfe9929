package report

import (
	"fmt"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
	"gongkai/internal/rectify"
)

// The rules only a built report can be held to, beside the reader's
// (annual.Check) and the cross-year rules (annual.CheckYears). Each finding
// names the sentence or part it concerns ("preface", "sections.1.2",
// "sections.5") so the preview marks it there.
const (
	// RuleProfile (error): the opening paragraph lacks a contact the format
	// requires (address, postcode, telephone, e-mail, where to download).
	RuleProfile = "BUILD.PROFILE"
	// RulePlaceholder (error): a placeholder of the template cannot be
	// filled (its statistic is gone, or has no last year to grow on).
	RulePlaceholder = "BUILD.PLACEHOLDER"
	// RuleTyped (warning): the template's prose types a number that a
	// statistic of the catalogue holds — a figure typed over.
	RuleTyped = "BUILD.TYPED"
	// RuleEmpty (warning): a statistic the prose names has nothing to say
	// (no survey, no subject).
	RuleEmpty = "BUILD.EMPTY"
	// RuleSection5 (error): section 五 states no problem; (warning) one of
	// last year's problems is reported without the measures taken, or not
	// yet rectified, or done without its outcome (the register's gaps,
	// rectify.SectionFive).
	RuleSection5 = "BUILD.SECTION5"
	// RuleSection6 (error): section 六 is empty.
	RuleSection6 = "BUILD.SECTION6"
)

// Check applies every check to a draft: annual.Check on the document as it
// prints, annual.CheckYears against last year's report, and the builder's
// rules.
func Check(d *Draft) []annual.Finding {
	r := d.Doc.Report
	d.Doc.SyncText()
	out := annual.Check(r)
	if d.Prior != nil {
		out = append(out, annual.CheckYears(d.Prior, r)...)
	}
	add := func(rule string, sev annual.Severity, where, format string, args ...any) {
		out = append(out, annual.Finding{Rule: rule, Severity: sev, Where: where, Message: fmt.Sprintf(format, args...)})
	}
	if miss := d.Facts.Profile.Missing(); len(miss) > 0 {
		add(RuleProfile, annual.Error, "preface", "开头段缺少%s：请在“年报设置”中填写", strings.Join(miss, "、"))
	}
	figs := Figures(d.Stats)
	byValue := map[string][]string{}
	for _, s := range d.Stats {
		if s.Figure.Value != nil && s.Def.Kind != annual.FigureText {
			byValue[s.Figure.Text] = append(byValue[s.Figure.Text], s.Def.Key)
		}
	}
	for _, pk := range annual.PartKeys {
		part := d.Template.Part(pk.Key)
		where := "sections." + pk.Key
		for _, text := range append([]string{part.Heading}, lines(part.Body)...) {
			pieces, err := annual.ParsePlaceholders(text)
			if err != nil {
				add(RulePlaceholder, annual.Error, where, "%s：%s", pk.Name, errs.MessageOf(err))
				continue
			}
			for _, pc := range pieces {
				if pc.Key == "" {
					continue
				}
				f, ok := figs[pc.Key]
				if !ok {
					add(RulePlaceholder, annual.Error, where, "%s：统计项“%s”已不存在，请修改模板", pk.Name, pc.Text)
					continue
				}
				if _, err := annual.FormatFigure(f, pc.Form, d.Facts.Profile.AboutStep); err != nil {
					add(RulePlaceholder, annual.Error, where, "%s：%s", pk.Name, errs.MessageOf(err))
					continue
				}
				if pc.Form == annual.FormGrowth && f.Previous != nil && *f.Previous == 0 {
					add(RulePlaceholder, annual.Warning, where, "%s：“%s”上年为0，无法计算增长，请改写这句话", pk.Name, f.Label)
				}
				if f.Kind == annual.FigureText && strings.TrimSpace(f.Text) == "" {
					add(RuleEmpty, annual.Warning, where, "%s：统计项“%s”（%s）本年没有内容，这句话需要改写", pk.Name, pc.Key, f.Label)
				}
			}
		}
	}
	for _, n := range annual.LiteralNumbers(d.Template) {
		keys := byValue[strings.TrimSuffix(n.Text, "%")]
		if strings.HasSuffix(n.Text, "%") {
			keys = append(keys, byValue[n.Text]...)
		}
		if len(keys) > 0 {
			add(RuleTyped, annual.Warning, "sections."+n.Part, "模板中直接写了数字“%s”（“%s”），与统计项{%s}的值相同：数字应由占位符生成，不能手工填写",
				n.Text, n.Context, keys[0])
		}
	}
	for _, g := range d.Facts.SectionFive.Findings {
		sev := annual.Warning
		if g.Severity == "error" || g.Rule == rectify.RuleNoProblem {
			// A section 五 that states no problem at all is as good as empty.
			sev = annual.Error
		}
		add(RuleSection5, sev, "sections.5", "%s：%s", g.Part, g.Message)
	}
	if strings.TrimSpace(d.Doc.SectionText(5)) == "" {
		add(RuleSection5, annual.Error, "sections.5", "第五部分“存在的主要问题及改进情况”为空：请在整改台账中登记上年问题的整改情况和本年存在的问题")
	}
	if strings.TrimSpace(d.Doc.SectionText(6)) == "" {
		add(RuleSection6, annual.Error, "sections.6", "第六部分“其他需要报告的事项”为空")
	}
	return out
}
