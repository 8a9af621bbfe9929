package rectify_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"gongkai/internal/rectify"
)

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// seedSection is the body of the seed's section 五, between its title and
// section 六's.
func seedSection(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../annual/testdata/fuzhou_customs_2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "五、存在的主要问题及改进情况")
	j := strings.Index(s, "六、其他需要报告的事项")
	if i < 0 || j < i {
		t.Fatal("section 五 not found in the seed")
	}
	return s[i+len("五、存在的主要问题及改进情况") : j]
}

// seedProblems are the seed's problems as the register keeps them, built
// through their histories: last year's with its three measures and outcome,
// this year's as found.
func seedProblems(t *testing.T) (last, this []rectify.Problem) {
	t.Helper()
	var evs []rectify.Event
	add := func(e rectify.Event) { e.Seq = len(evs) + 1; evs = append(evs, e) }
	add(rectify.Event{Kind: rectify.EvCreated, At: at("2024-01-20"), Fields: &rectify.Fields{Year: 2023, Source: rectify.FromLastReport, SourceRef: "2023年年报",
		Description: "对外提供服务的事业单位信息公开工作还有差距，仍存在工作基础较为薄弱、公开事项不全面、个别信息更新不及时等问题。"}})
	for _, m := range []string{
		"压实工作责任，将事业单位政府信息公开质量和基层政务公开标准化规范化建设情况纳入年度考核事项",
		"加强工作指导，对事业单位信息公开情况开展指导，重点提升公开效能；",
		"主动查摆问题，结合 12345 热线等渠道诉求，征集群众建议，深入剖析成因，改进服务质量。",
	} {
		add(rectify.Event{Kind: rectify.EvMeasureAdded, At: at("2024-02-01"), Text: m})
	}
	add(rectify.Event{Kind: rectify.EvClosed, At: at("2024-12-20"), Outcome: "2024 年事业单位投诉事项明显下降"})
	p1, err := rectify.Replay(1, 1, evs)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := rectify.Replay(2, 1, []rectify.Event{{Seq: 1, Kind: rectify.EvCreated, At: at("2024-11-15"), Fields: &rectify.Fields{Year: 2024, Source: rectify.FromReview,
		Description: "“福州海关12360”热线新媒体在做好信息发布和咨询服务的同时，与网友互动形式较为单一，形象不够活泼可亲"}}})
	if err != nil {
		t.Fatal(err)
	}
	return []rectify.Problem{p1}, []rectify.Problem{p2}
}

// The seed's section 五 comes out of the register exactly.
func TestSectionFiveSeed(t *testing.T) {
	last, this := seedProblems(t)
	s := rectify.SectionFive(2024, last, this)
	if got, want := noSpace(strings.Join(s.Paragraphs, "")), noSpace(seedSection(t)); got != want {
		t.Fatalf("section 五:\n got %s\nwant %s", got, want)
	}
	if len(s.Paragraphs) != 2 || !strings.HasPrefix(s.Paragraphs[1], "（二）目前存在问题。") || len(s.Findings) != 0 {
		t.Fatalf("%q %+v", s.Paragraphs, s.Findings)
	}
	// A changed record changes the text: one measure fewer.
	p := last[0]
	p.Measures = p.Measures[:2]
	if got := rectify.SectionFive(2024, []rectify.Problem{p}, this).Text(); !strings.Contains(got, "采取2方面措施进行整改：一是压实工作责任") || strings.Contains(got, "三是") {
		t.Fatalf("two measures: %s", got)
	}
}

func TestSectionFiveGeneral(t *testing.T) {
	mk := func(id int64, year int, desc string, st rectify.Status, measures ...string) rectify.Problem {
		p := rectify.Problem{ID: id, Fields: rectify.Fields{Year: year, Description: desc}, Status: st}
		for _, m := range measures {
			p.Measures = append(p.Measures, rectify.Measure{Text: m, AddedOn: day("2024-02-01")})
		}
		return p
	}
	var eleven []string
	for i := 1; i <= 11; i++ {
		eleven = append(eleven, "措施"+string(rune('A'+i-1))+"；")
	}
	doneA := mk(1, 2023, "指南更新不及时。", rectify.Done, "一是修订公开指南；", "建立“季度更新”机制。")
	doneA.Outcome = "指南按季度更新"
	noMeasure := mk(2, 2023, "解读形式单一", rectify.Open)
	noOutcome := mk(3, 2023, "部分附件无法下载", rectify.Done, "逐一修复附件链接")
	going := mk(4, 2023, "留言答复不及时", rectify.InProgress, "建立留言办理提醒")
	dropped := mk(5, 2023, "栏目设置不合理", rectify.Dropped)
	dropped.DropReason = "网站已整体改版，相关栏目撤销"
	many := mk(6, 2023, "“政务新媒体”互动不足。", rectify.Done, eleven...)
	many.Outcome = "互动量明显上升。"

	cases := []struct {
		name     string
		last     []rectify.Problem
		this     []rectify.Problem
		want     []string // in the text, in order
		absent   []string
		findings []string // rules, in order
	}{
		{"no problem last year, one this year", nil, []rectify.Problem{mk(9, 2024, "办事指南要素不全。", rectify.Open)},
			[]string{"（一）2023年年报中所提问题整改情况。2023年年报未提出需要整改的问题。", "（二）目前存在问题。办事指南要素不全。"}, []string{"下一步"}, nil},
		{"one measure, ordinal and quotes normalised", []rectify.Problem{doneA}, nil,
			[]string{"针对“指南更新不及时”，采取2方面措施进行整改：一是修订公开指南；二是建立“季度更新”机制。指南按季度更新。", "本年度暂未发现需要报告的问题。"},
			[]string{"一是一是"}, []string{rectify.RuleNoProblem}},
		{"gaps are stated and found", []rectify.Problem{noMeasure, noOutcome, going, dropped}, []rectify.Problem{mk(9, 2024, "x问题", rectify.Open)},
			[]string{"针对“解读形式单一”，尚未采取整改措施。", "针对“部分附件无法下载”，采取措施进行整改：逐一修复附件链接。针对“留言答复不及时”",
				"建立留言办理提醒。目前整改工作仍在推进。", "针对“栏目设置不合理”，经研究不再整改，理由是：网站已整体改版，相关栏目撤销。\n（二）"},
			nil, []string{rectify.RuleNoMeasure, rectify.RuleNoOutcome, rectify.RuleNotDone}},
		{"eleven measures, nested quotes", []rectify.Problem{many}, []rectify.Problem{mk(9, 2024, "a", rectify.Open)},
			[]string{"针对“‘政务新媒体’互动不足”，采取11方面措施进行整改：一是措施A；二是措施B；", "十是措施J；十一是措施K。互动量明显上升。"}, nil, nil},
		{"several this year, planned measures, dropped left out",
			nil, func() []rectify.Problem {
				a := mk(10, 2024, "政策解读形式单一；", rectify.InProgress, "制作图解解读。", "开展视频解读")
				a.Measures[0].DoneOn = day("2024-06-01")
				b := mk(11, 2024, "队伍建设有待加强", rectify.Open, "定期组织业务培训；")
				c := mk(12, 2024, "已撤销栏目", rectify.Dropped, "清理栏目")
				return []rectify.Problem{b, a, c} // registration order restored
			}(),
			[]string{"（二）目前存在问题。一是政策解读形式单一；二是队伍建设有待加强。下一步，一是开展视频解读；二是定期组织业务培训。"},
			[]string{"制作图解解读", "已撤销栏目", "清理栏目"}, nil},
		{"one planned measure", nil, []rectify.Problem{mk(10, 2024, "互动形式单一", rectify.Open, "丰富互动形式")},
			[]string{"（二）目前存在问题。互动形式单一。下一步，丰富互动形式。"}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := rectify.SectionFive(2024, c.last, c.this)
			text := s.Text()
			pos := 0
			for _, w := range c.want {
				i := strings.Index(text[pos:], w)
				if i < 0 {
					t.Fatalf("lacks (in order) %q:\n%s", w, text)
				}
				pos += i + len(w)
			}
			for _, w := range append(c.absent, "；；", "。。", "；。", "。；", "，。", "”。", "。”", "“”") {
				if strings.Contains(text, w) {
					t.Errorf("has %q:\n%s", w, text)
				}
			}
			var rules []string
			for _, f := range s.Findings {
				rules = append(rules, f.Rule)
				if f.Severity != "warning" || f.Message == "" || f.Part == "" {
					t.Errorf("finding %+v", f)
				}
			}
			if strings.Join(rules, ",") != strings.Join(c.findings, ",") {
				t.Errorf("findings %v, want %v", rules, c.findings)
			}
		})
	}
	// The findings name their problem.
	s := rectify.SectionFive(2024, []rectify.Problem{noMeasure}, []rectify.Problem{mk(9, 2024, "x", rectify.Open)})
	if len(s.Findings) != 1 || s.Findings[0].ProblemID != 2 || !strings.Contains(s.Findings[0].Message, "“解读形式单一”尚未登记整改措施（问题 2）") {
		t.Fatalf("%+v", s.Findings)
	}
}

// Each sentence names the problems it states, and the sentences make the
// paragraphs.
func TestSectionFiveSentences(t *testing.T) {
	last, this := seedProblems(t)
	planned := rectify.Problem{ID: 7, Fields: rectify.Fields{Year: 2024, Description: "解读形式单一"}, Status: rectify.InProgress,
		Measures: []rectify.Measure{{Text: "开展图解解读", AddedOn: day("2024-05-01")}}}
	s := rectify.SectionFive(2024, last, append(this, planned))
	type want struct {
		part int
		ids  string
		text string
	}
	wants := []want{{1, "", "（一）2023年年报中所提问题整改情况。"}, {1, "1", "针对“对外"}, {2, "", "（二）目前存在问题。"},
		{2, "2,7", "一是“福州海关12360”"}, {2, "7", "下一步，开展图解解读。"}}
	if len(s.Sentences) != len(wants) {
		t.Fatalf("%d sentences: %+v", len(s.Sentences), s.Sentences)
	}
	for i, w := range wants {
		x := s.Sentences[i]
		var ids []string
		for _, id := range x.ProblemIDs {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		if x.Part != w.part || strings.Join(ids, ",") != w.ids || !strings.HasPrefix(x.Text, w.text) {
			t.Errorf("sentence %d: %+v, want %+v", i, x, w)
		}
	}
	for n, para := range s.Paragraphs {
		var b strings.Builder
		for _, x := range s.Sentences {
			if x.Part == n+1 {
				b.WriteString(x.Text)
			}
		}
		if b.String() != para {
			t.Errorf("part %d: sentences %q, paragraph %q", n+1, b.String(), para)
		}
	}
}
