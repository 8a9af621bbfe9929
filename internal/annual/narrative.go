package annual

import (
	"regexp"
	"strconv"
	"strings"
)

// figureKind names what a figure stated in the narrative counts.
type figureKind int

const (
	figReceived        figureKind = iota + 1 // applications received (收到/受理/新收…申请N件)
	figAnswered                              // applications answered (办理答复/答复/办结N件)
	figCarriedOver                           // carried over from last year (上年结转N件)
	figCarriedForward                        // carried forward to next year (N件结转/顺延至下年度)
	figReconsideration                       // administrative reconsiderations (行政复议N件)
	figLitigation                            // lawsuits (行政诉讼N件)
	figWithdrawn                             // applications withdrawn (申请人撤回N件)
)

// figure is one number the narrative states.
type figure struct {
	kind     figureKind
	n        int
	phrase   string // the words stated, for the message
	sentence int    // index of the sentence it was stated in
}

// Patterns run on the narrative with white space removed and full-width
// forms made half width (so 「，」 is ",", 「（」 is "(").
var figurePatterns = []struct {
	kind  figureKind
	hints []string // a sentence without any of these cannot match: skip the expression
	re    *regexp.Regexp
}{
	{figReceived, []string{"新收", "收到", "受理", "接收", "接到"}, regexp.MustCompile(`(?:新收|收到|受理|接收|接到)了?(?:各类|各级)?(?:政府信息公开|依申请公开|信息公开)?(?:的)?(?:申请)?(?:数量)?(?:共计|共|合计|总计|为|是)?(\d+)件`)},
	{figReceived, []string{"新收", "收到", "受理", "接收", "接到"}, regexp.MustCompile(`(?:新收|收到|受理|接收|接到)了?(?:共计|共|合计)?(\d+)件(?:政府信息公开|依申请公开|信息公开)?(?:的)?申请`)},
	{figAnswered, []string{"答复", "办结", "办理完结"}, regexp.MustCompile(`(?:办理答复|予以答复|作出答复|答复|办结|办理完结|已办结)了?(?:政府信息公开|依申请公开)?(?:申请)?(?:共计|共)?(\d+)件`)},
	{figCarriedOver, []string{"结转"}, regexp.MustCompile(`(?:上年度?|上一年度?)结转(?:的)?(?:政府信息公开|依申请公开)?(?:申请)?(?:共计|共)?(\d+)件`)},
	{figCarriedOver, []string{"结转"}, regexp.MustCompile(`(\d+)件(?:为|系)?(?:上年度?|上一年度?)结转`)},
	{figCarriedForward, []string{"顺延", "结转", "转入", "转至"}, regexp.MustCompile(`(\d+)件(?:申请)?(?:顺延|结转|转入|转至)(?:到|至)?(?:下一?年度?|次年)`)},
	{figCarriedForward, []string{"顺延", "结转", "转入"}, regexp.MustCompile(`(?:结转|顺延|转入)(?:到|至)?(?:下一?年度?|次年)(?:继续办理)?(?:的)?(?:申请)?(?:共)?(\d+)件`)},
	{figReconsideration, []string{"复议"}, regexp.MustCompile(`(?:行政复议|复议案件|复议申请)(?:案件|申请)?(?:共计|共)?(\d+)(?:件|起|宗)`)},
	{figLitigation, []string{"诉讼"}, regexp.MustCompile(`(?:行政诉讼|诉讼案件)(?:案件)?(?:共计|共)?(\d+)(?:件|起|宗)`)},
	{figWithdrawn, []string{"撤回", "撤销"}, regexp.MustCompile(`(?:撤回|撤销)(?:了)?(?:申请)?(\d+)件`)},
}

var (
	// A clause that says there were none: 「未出现因依申请公开答复产生的复议、诉讼」.
	noneStated = regexp.MustCompile(`(?:未出现|未发生|未产生|未引发|未引起|未被|未有|未收到|没有|无)[^,;。]{0,30}?(?:复议|诉讼)`)
	// A clause that says they were zero: 「行政复议、行政诉讼均为0件」.
	zeroStated = regexp.MustCompile(`(?:复议|诉讼)[^,;。\d]{0,16}?(?:均为|为|均是)(?:0|零)(?:件|起|宗)?`)
	// Words that put a figure in another year: 「较上年」, 「同比」.
	otherYear  = regexp.MustCompile(`上年|去年|上一年|同比|较`)
	yearInText = regexp.MustCompile(`((?:19|20)\d{2})年`)
)

// statedFigures reads the figures a narrative states about applications and
// appeals. year is the report's year: a figure in a sentence about another
// year, or compared with last year, is left out.
func statedFigures(text string, year int) []figure {
	flat := removeSpace(halfWidth(text))
	var out []figure
	for si, sentence := range strings.FieldsFunc(flat, func(r rune) bool { return r == '。' || r == ';' || r == '!' || r == '?' }) {
		if otherYearSentence(sentence, year) {
			continue
		}
		var taken []bool // bytes already read, so one phrase gives one figure
		for _, p := range figurePatterns {
			if !containsAny(sentence, p.hints) {
				continue
			}
			for _, m := range p.re.FindAllStringSubmatchIndex(sentence, -1) {
				if taken == nil {
					taken = make([]bool, len(sentence))
				}
				if overlaps(taken, m[0], m[1]) {
					continue
				}
				if p.kind != figCarriedOver && p.kind != figCarriedForward && otherYear.MatchString(clauseBefore(sentence, m[0])) {
					continue
				}
				if aboutOtherWork(sentence[:m[0]]) {
					continue
				}
				n, err := strconv.Atoi(sentence[m[2]:m[3]])
				if err != nil {
					continue
				}
				for i := m[0]; i < m[1]; i++ {
					taken[i] = true
				}
				out = append(out, figure{kind: p.kind, n: n, phrase: sentence[m[0]:m[1]], sentence: si})
			}
		}
		if !strings.Contains(sentence, "复议") && !strings.Contains(sentence, "诉讼") {
			continue
		}
		for _, clause := range strings.FieldsFunc(sentence, func(r rune) bool { return r == ',' }) {
			loc := noneStated.FindStringIndex(clause)
			if loc == nil {
				loc = zeroStated.FindStringIndex(clause)
			}
			if loc == nil || strings.ContainsAny(clause[loc[0]:loc[1]], "123456789") {
				continue
			}
			said := clause[loc[0]:]
			if strings.Contains(said, "复议") {
				out = append(out, figure{kind: figReconsideration, n: 0, phrase: clause, sentence: si})
			}
			if strings.Contains(said, "诉讼") {
				out = append(out, figure{kind: figLitigation, n: 0, phrase: clause, sentence: si})
			}
		}
	}
	return out
}

// otherWork names work that is not an application: a figure stated about
// it (「收到投诉3件，办结2件」, 「答复咨询471条」) is not one of table 三's.
var otherWork = []string{"投诉", "留言", "咨询", "热线", "问卷", "信访", "举报", "建议提案", "提案", "建议"}

// aboutOtherWork reports whether the text before a figure, within its
// sentence, last names such other work rather than applications.
func aboutOtherWork(before string) bool {
	at := -1
	for _, w := range otherWork {
		if i := strings.LastIndex(before, w); i > at {
			at = i
		}
	}
	if at < 0 {
		return false
	}
	rest := before[at:]
	return !strings.Contains(rest, "申请") && !strings.Contains(rest, "依申请")
}

// otherYearSentence reports whether a sentence opens with a year other than
// the report's (「2023年，共收到申请…」 in a 2024 report).
func otherYearSentence(s string, year int) bool {
	if year == 0 {
		return false
	}
	m := yearInText.FindStringSubmatchIndex(s)
	if m == nil || m[0] > 12 {
		return false
	}
	y, _ := strconv.Atoi(s[m[2]:m[3]])
	return y != year
}

// clauseBefore returns the text of the clause before position i, at most
// the sixteen characters or so that can qualify a figure.
func clauseBefore(s string, i int) string {
	from := max(0, i-48)
	start := strings.LastIndexAny(s[from:i], ",:")
	return s[from+start+1 : i]
}

func overlaps(taken []bool, a, b int) bool {
	for i := a; i < b; i++ {
		if taken[i] {
			return true
		}
	}
	return false
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
