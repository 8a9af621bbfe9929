package annual

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
)

func TestParsePlaceholders(t *testing.T) {
	cases := []struct {
		in      string
		pieces  []Piece
		errPart string
	}{
		{in: "共{依申请.新收}件", pieces: []Piece{{Text: "共"}, {Text: "{依申请.新收}", Key: "依申请.新收"}, {Text: "件"}}},
		{in: "{网站.访问量:增长}", pieces: []Piece{{Text: "{网站.访问量:增长}", Key: "网站.访问量", Form: "增长"}}},
		{in: "{ 网站.访问量 ： 增长 }", pieces: []Piece{{Text: "{ 网站.访问量 ： 增长 }", Key: "网站.访问量", Form: "增长"}}},
		{in: "没有占位符", pieces: []Piece{{Text: "没有占位符"}}},
		{in: "共{依申请.新收件", errPart: "缺少右花括号"},
		{in: "共{依申请{新收}件", errPart: "缺少右花括号"},
		{in: "共}件", errPart: "多余的右花括号"},
		{in: "共{ }件", errPart: "没有统计项名称"},
		{in: "共{:增长}件", errPart: "没有统计项名称"},
	}
	for _, c := range cases {
		got, err := ParsePlaceholders(c.in)
		if c.errPart != "" {
			if err == nil || !strings.Contains(errs.MessageOf(err), c.errPart) {
				t.Errorf("%q: error %v, want one saying %q", c.in, err, c.errPart)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if len(got) != len(c.pieces) {
			t.Errorf("%q: %d pieces %+v, want %+v", c.in, len(got), got, c.pieces)
			continue
		}
		for i := range got {
			if got[i] != c.pieces[i] {
				t.Errorf("%q piece %d: %+v, want %+v", c.in, i, got[i], c.pieces[i])
			}
		}
	}
}

var testDefs = []FigureDef{
	{Key: "依申请.新收", Kind: FigureCount},
	{Key: "网站.访问量", Kind: FigureCount, HasPrevious: true},
	{Key: "依申请.内容涉及", Kind: FigureText},
	{Key: "热线.接通率", Kind: FigureRate},
}

func TestValidateTemplate(t *testing.T) {
	ok := TextTemplate{Parts: []TemplatePart{{Key: PartRequests, Heading: "（二）依申请公开办理情况。", Body: "收到{依申请.新收}件，访问量{网站.访问量:增长}，{网站.访问量:约数}，上年{网站.访问量:上年}。"}}}
	if err := ValidateTemplate(ok, testDefs); err != nil {
		t.Fatalf("valid template refused: %v", err)
	}
	bad := []struct {
		t     TextTemplate
		field string
		part  string
	}{
		{TextTemplate{Parts: []TemplatePart{{Key: PartRequests, Body: "收到{依申请.收到}件"}}}, "part-1.2", "未知的统计项“{依申请.收到}”"},
		{TextTemplate{Parts: []TemplatePart{{Key: PartRequests, Body: "收到{依申请.新收:增长}"}}}, "part-1.2", "不能使用“增长”形式"},
		{TextTemplate{Parts: []TemplatePart{{Key: PartRequests, Body: "{依申请.内容涉及:约数}"}}}, "part-1.2", "不能使用“约数”形式"},
		{TextTemplate{Parts: []TemplatePart{{Key: PartRequests, Body: "{热线.接通率:差额}"}}}, "part-1.2", "不能使用“差额”形式"},
		{TextTemplate{Parts: []TemplatePart{{Key: PartOther, Body: "收到{依申请.新收件"}}}, "part-6", "缺少右花括号"},
		{TextTemplate{Parts: []TemplatePart{{Key: "7", Body: "x"}}}, "part-7", "未知的模板部分"},
		{TextTemplate{Parts: []TemplatePart{{Key: PartOther, Body: strings.Repeat("字", MaxTemplate+1)}}}, "part-6", "不能超过"},
	}
	for _, c := range bad {
		err := ValidateTemplate(c.t, testDefs)
		fe, isForm := err.(*errs.FormError)
		if !isForm {
			t.Errorf("%+v: error %v, want a form error", c.t, err)
			continue
		}
		if msg := fe.Of(c.field); !strings.Contains(msg, c.part) {
			t.Errorf("%+v: field %s says %q, want %q", c.t, c.field, msg, c.part)
		}
	}
}

func TestLiteralNumbers(t *testing.T) {
	tm := TextTemplate{Parts: []TemplatePart{{Key: PartPlatforms, Heading: "（三）平台建设。",
		Body: "接听{热线.接听量}条次，接通率99.3%，通过“福州海关 12360”新媒体，发布《2024年工作要点》，满意度得分９９．８９分，共１２件。"}}}
	var got []string
	for _, n := range LiteralNumbers(tm) {
		got = append(got, n.Text)
		if n.Part != PartPlatforms {
			t.Errorf("%s: part %q", n.Text, n.Part)
		}
	}
	want := []string{"99.3%", "99.89", "12"} // full-width digits and point read as half-width
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("literal numbers %v, want %v (numbers in quotes and titles are names)", got, want)
	}
}

func TestRenderParagraph(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	figs := map[string]Figure{
		"依申请.新收":   {Key: "依申请.新收", Kind: FigureCount, Text: "6", Value: n(6)},
		"网站.访问量":   {Key: "网站.访问量", Kind: FigureCount, Text: "1398350", Value: n(1398350), Previous: n(1196193)},
		"宣讲.覆盖企业":  {Key: "宣讲.覆盖企业", Kind: FigureCount, Text: "742", Value: n(742)},
		"依申请.内容涉及": {Key: "依申请.内容涉及", Kind: FigureText, Text: "统计数据、报关单证和行政执法信息"},
	}
	p, err := RenderParagraph("共收到{依申请.新收}件，内容涉及{依申请.内容涉及}等，访问量{网站.访问量:增长}，覆盖企业{宣讲.覆盖企业:约数}家。", figs, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Text(), "共收到6件，内容涉及统计数据、报关单证和行政执法信息等，访问量增长16.9%，覆盖企业700余家。"; got != want {
		t.Errorf("rendered %q, want %q", got, want)
	}
	bound := 0
	for _, r := range p.Runs {
		if r.Figure != "" {
			bound++
		}
	}
	if bound != 4 {
		t.Errorf("%d runs bound to figures, want 4", bound)
	}
	if _, err := RenderParagraph("{依申请.新收:增长}", figs, 100); err == nil {
		t.Error("growth without last year's figure rendered")
	}
	if _, err := RenderParagraph("{不存在}", figs, 100); err == nil {
		t.Error("unknown statistic rendered")
	}
}

func TestGrowthText(t *testing.T) {
	cases := []struct {
		cur, prev int64
		want      string
	}{
		{860, 675, "增长27.4%"},   // the seed's 网站发布信息同比增长27.4%
		{57000, 50000, "增长14%"}, // no trailing .0
		{1398350, 1196193, "增长16.9%"},
		{90, 100, "下降10%"},
		{999, 1000, "下降0.1%"},
		{1000, 1000, "与上年持平"},
		{10005, 10000, "增长0.1%"}, // 0.05% rounds half away from zero
		{9995, 10000, "下降0.1%"},
		{5, 0, "上年为0"},
	}
	for _, c := range cases {
		if got := GrowthText(c.cur, c.prev); got != c.want {
			t.Errorf("GrowthText(%d, %d) = %q, want %q", c.cur, c.prev, got, c.want)
		}
	}
}

func TestAbout(t *testing.T) {
	cases := []struct {
		n, step int64
		want    string
	}{
		{742, 100, "700余"}, {700, 100, "700"}, {80, 100, "80"}, {1350, 100, "1300余"}, {42, 10, "40余"}, {742, 1, "742"}, {0, 100, "0"},
	}
	for _, c := range cases {
		if got := About(c.n, c.step); got != c.want {
			t.Errorf("About(%d, %d) = %q, want %q", c.n, c.step, got, c.want)
		}
	}
}

func TestFillKeepsWhatItCannotFill(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	figs := map[string]Figure{"依申请.新收": {Key: "依申请.新收", Kind: FigureCount, Text: "6", Value: n(6)}}
	p, problems := Fill("收到{依申请.新收}件，访问量{网站.访问量:增长}，{依申请.新收:增长}。", figs, 100)
	if got, want := p.Text(), "收到6件，访问量{网站.访问量:增长}，{依申请.新收:增长}。"; got != want {
		t.Errorf("filled %q, want %q", got, want)
	}
	if len(problems) != 2 {
		t.Errorf("%d problems, want 2: %v", len(problems), problems)
	}
}
