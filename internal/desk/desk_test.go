package desk

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/errs"
)

// Hand-worked connection rates.
func TestConnectionRate(t *testing.T) {
	cases := []struct {
		offered, answered int64
		want              string
	}{
		{10362, 10289, "99.3%"}, // 10289/10362 = 0.992955… → 99.3%
		{1000, 993, "99.3%"},
		{2000, 1999, "100.0%"}, // 99.95% rounds half up
		{2000, 1998, "99.9%"},
		{3, 2, "66.7%"}, // 66.666…
		{8, 1, "12.5%"},
		{16, 1, "6.3%"}, // 6.25 → 6.3 (half up)
		{5, 0, "0.0%"},
		{0, 0, "—"},
	}
	for _, c := range cases {
		if got := ConnectionRate(c.offered, c.answered).String(); got != c.want {
			t.Errorf("ConnectionRate(%d, %d) = %s, want %s", c.offered, c.answered, got, c.want)
		}
	}
}

// Hand-worked satisfaction scores.
func TestSatisfaction(t *testing.T) {
	cases := []struct {
		counts map[int]int64
		want   string
	}{
		// 7160×5 + 40×4 = 35960; ÷7200 = 4.99444…; ×20 = 99.888… → 99.89
		{map[int]int64{5: 7160, 4: 40}, "99.89"},
		{map[int]int64{5: 1}, "100.00"},
		{map[int]int64{1: 1}, "20.00"},
		// (5+4+3)/3 = 4 → 80
		{map[int]int64{5: 1, 4: 1, 3: 1}, "80.00"},
		// (5×2 + 2)/3 = 4 → 80; unrated (0) and out-of-range keys ignored
		{map[int]int64{5: 2, 2: 1, 0: 99, 7: 3}, "80.00"},
		// 5,5,4 → 14/3 = 4.666… ×20 = 93.333… → 93.33
		{map[int]int64{5: 2, 4: 1}, "93.33"},
		// 5,4 → 4.5 → 90.00; 4 ratings of 5 and one 4: 24/5 = 4.8 → 96
		{map[int]int64{5: 4, 4: 1}, "96.00"},
		{map[int]int64{}, "—"},
	}
	for _, c := range cases {
		if got := Satisfaction(c.counts).String(); got != c.want {
			t.Errorf("Satisfaction(%v) = %s, want %s", c.counts, got, c.want)
		}
	}
	if s := Satisfaction(map[int]int64{5: 2, 2: 1, 0: 99}); s.Rated != 3 {
		t.Errorf("rated = %d, want 3", s.Rated)
	}
	for in, want := range map[string]int{"5": 5, "非常满意": 5, "基本满意": 3, "": 0, "1": 1} {
		if got, ok := ParseRating(in); !ok || got != want {
			t.Errorf("ParseRating(%q) = %d %v", in, got, ok)
		}
	}
	if _, ok := ParseRating("6"); ok {
		t.Error("rating 6 accepted")
	}
}

// Hand-worked handling times in natural days.
func TestAverageHandlingDays(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// 6 h, 12 h and 36 h: 54 h ÷ 3 = 18 h = 0.75 days.
	hs := []Handled{
		{at("2024-03-01 09:00"), at("2024-03-01 15:00")},
		{at("2024-03-02 20:00"), at("2024-03-03 08:00")}, // over a weekend night
		{at("2024-04-30 10:00"), at("2024-05-01 22:00")}, // into a holiday: natural days count holidays
	}
	if got := AverageHandlingDays(hs).String(); got != "0.75" {
		t.Errorf("average = %s, want 0.75", got)
	}
	// One message answered after 1 day and 1 hour: 25/24 = 1.041666… → 1.04.
	if got := AverageHandlingDays([]Handled{{at("2024-01-01 08:00"), at("2024-01-02 09:00")}}).String(); got != "1.04" {
		t.Errorf("1 day 1 hour = %s", got)
	}
	// 0.005 days is 432 seconds: exactly half a hundredth rounds up.
	base := at("2024-06-01 00:00")
	if got := AverageHandlingDays([]Handled{{base, base.Add(432 * time.Second)}}).String(); got != "0.01" {
		t.Errorf("432 s = %s", got)
	}
	if got := HandlingDays(at("2024-03-01 09:00"), at("2024-03-01 15:00")); got != 0.25 {
		t.Errorf("HandlingDays = %v", got)
	}
	if d := AverageHandlingDays(nil); d.Valid || d.String() != "—" {
		t.Errorf("no enquiry: %+v", d)
	}
}

func TestLimit(t *testing.T) {
	l := DefaultUnansweredLimit
	rec := time.Date(2024, 11, 30, 10, 0, 0, 0, Shanghai)
	if got := l.Deadline(rec); !got.Equal(time.Date(2025, 2, 28, 10, 0, 0, 0, Shanghai)) {
		t.Errorf("3 months after 30 Nov = %v, want 28 Feb", got)
	}
	if got := l.Deadline(time.Date(2024, 1, 15, 9, 0, 0, 0, Shanghai)); !got.Equal(time.Date(2024, 4, 15, 9, 0, 0, 0, Shanghai)) {
		t.Errorf("3 months after 15 Jan = %v", got)
	}
	r := time.Date(2024, 1, 15, 9, 0, 0, 0, Shanghai)
	for now, want := range map[time.Time]Urgency{
		time.Date(2024, 3, 1, 0, 0, 0, 0, Shanghai):  OnTime,
		time.Date(2024, 4, 1, 0, 0, 0, 0, Shanghai):  DueSoon,
		time.Date(2024, 4, 15, 9, 0, 0, 0, Shanghai): Overdue,
	} {
		if got := l.UrgencyAt(r, now); got != want {
			t.Errorf("urgency at %v = %v, want %v", now, got, want)
		}
	}
	for in, want := range map[string]string{"3m": "3个月", "90天": "90天", "2个月": "2个月", "45d": "45天"} {
		l, err := ParseLimit(in)
		if err != nil || l.Label() != want {
			t.Errorf("ParseLimit(%q) = %v %v", in, l.Label(), err)
		}
	}
	for _, bad := range []string{"", "0m", "13个月", "3 weeks", "400天"} {
		if _, err := ParseLimit(bad); err == nil {
			t.Errorf("ParseLimit(%q) accepted", bad)
		}
	}
}

func TestGrowth(t *testing.T) {
	for _, c := range []struct {
		cur, prev int64
		want      string
	}{
		{1169, 1000, "+16.9%"}, {114, 100, "+14.0%"}, {95, 100, "-5.0%"}, {1, 3, "-66.7%"}, {5, 0, "—"}, {100, 100, "+0.0%"},
	} {
		if got := GrowthOf(c.cur, c.prev).String(); got != c.want {
			t.Errorf("GrowthOf(%d, %d) = %s, want %s", c.cur, c.prev, got, c.want)
		}
	}
	if GrowthOf(114, 100).Plain() != "14%" || GrowthOf(1169, 1000).Plain() != "16.9%" {
		t.Error("plain growth")
	}
	for n, want := range map[int64]string{742: "700余", 700: "700", 1350: "1300余", 65: "60余", 7: "7", 12345: "12000余"} {
		if got := About(n); got != want {
			t.Errorf("About(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestChallenge(t *testing.T) {
	secret := []byte("test secret")
	now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	c := NewChallenge(secret, now)
	ans := solve(t, c.Question)
	later := now.Add(10 * time.Second)
	nonce, err := CheckChallenge(secret, c.Token, ans, later)
	if err != nil || nonce == "" {
		t.Fatalf("right answer refused: %v", err)
	}
	// Full-width digits are accepted too.
	if _, err := CheckChallenge(secret, c.Token, toFullWidth(ans), later); err != nil {
		t.Errorf("full-width answer: %v", err)
	}
	wrong := map[string]error{
		"wrong answer":   mustFail(CheckChallenge(secret, c.Token, ans+"1", later)),
		"not a number":   mustFail(CheckChallenge(secret, c.Token, "abc", later)),
		"too fast":       mustFail(CheckChallenge(secret, c.Token, ans, now.Add(time.Second))),
		"too old":        mustFail(CheckChallenge(secret, c.Token, ans, now.Add(3*time.Hour))),
		"other secret":   mustFail(CheckChallenge([]byte("other"), c.Token, ans, later)),
		"forged token":   mustFail(CheckChallenge(secret, "AAAA.BBBB", ans, later)),
		"tampered issue": mustFail(CheckChallenge(secret, tamper(c.Token), ans, later)),
	}
	want := map[string]error{"wrong answer": ErrChallengeWrong, "not a number": ErrChallengeWrong, "too fast": ErrChallengeFast,
		"too old": ErrChallengeExpired, "other secret": ErrChallengeWrong, "forged token": ErrChallengeExpired, "tampered issue": ErrChallengeWrong}
	for k, err := range wrong {
		if err != want[k] {
			t.Errorf("%s: %v, want %v", k, err, want[k])
		}
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%s: code %v", k, errs.CodeOf(err))
		}
	}
	// The token does not carry the answer in the clear: two challenges
	// with the same answer have unrelated tokens.
	if strings.Contains(c.Token, ans) && len(ans) > 1 {
		t.Logf("token %q happens to contain %q", c.Token, ans)
	}
}

func mustFail(_ string, err error) error { return err }

func tamper(tok string) string {
	b := []byte(tok)
	if b[2] == 'A' {
		b[2] = 'B'
	} else {
		b[2] = 'A'
	}
	return string(b)
}

func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune('０' + (r - '0'))
	}
	return b.String()
}

// solve reads the question as a person would.
func solve(t *testing.T, q string) string {
	t.Helper()
	num := func(s string) int {
		for i, n := range digitNames {
			if n == s {
				return i
			}
		}
		t.Fatalf("unknown number %q in %q", s, q)
		return 0
	}
	f := strings.Fields(strings.TrimSuffix(q, " 等于多少？"))
	if len(f) != 3 {
		t.Fatalf("question %q", q)
	}
	a, b := num(f[0]), num(f[2])
	if f[1] == "加" {
		return itoa(int64(a + b))
	}
	return itoa(int64(a - b))
}

func TestRedact(t *testing.T) {
	in := "我的电话13812345678，邮箱 zhang.san@example.com，报关单号 350120240012345678，身份证35010219800101123X。第3条怎么理解？"
	got := Redact(in)
	for _, leak := range []string{"13812345678", "zhang.san", "350120240012345678", "35010219800101123X"} {
		if strings.Contains(got, leak) {
			t.Errorf("redacted text still has %q: %s", leak, got)
		}
	}
	if !strings.Contains(got, "第3条怎么理解") {
		t.Errorf("short numbers must stay: %s", got)
	}
}

func TestValidateEnquiry(t *testing.T) {
	e := Enquiry{Kind: KindMessage, Name: " ", Phone: "abc", Email: "not-an-email", Topic: "", Subject: "", Body: "短"}
	err := ValidateEnquiry(&e)
	var fe *errs.FormError
	if !errors.As(err, &fe) {
		t.Fatalf("want form error, got %v", err)
	}
	for _, f := range []string{"name", "phone", "email", "topic", "subject", "body"} {
		if fe.Of(f) == "" {
			t.Errorf("field %s not marked: %v", f, fe)
		}
	}
	ok := Enquiry{Kind: KindConsult, Name: "张三", Phone: "0591-87081207", Topic: "通关监管", Subject: "报关问题", Body: "请问如何办理报关单修改？"}
	if err := ValidateEnquiry(&ok); err != nil || ok.Topic != "clearance" {
		t.Fatalf("valid enquiry: %v %s", err, ok.Topic)
	}
	long := ok
	long.Body = strings.Repeat("字", MaxLongText+1)
	if err := ValidateEnquiry(&long); err == nil || !strings.Contains(errs.MessageOf(err), "不能超过 2000 字") {
		t.Errorf("long body: %v", err)
	}
}

func TestStateMachine(t *testing.T) {
	hist := []Event{{Kind: EvReceived}, {Kind: EvDrafted}, {Kind: EvReturned}, {Kind: EvDrafted}, {Kind: EvApproved}, {Kind: EvPublished}, {Kind: EvWithdrawn}, {Kind: EvPublished}}
	if s, err := StateOf(hist); err != nil || s != EvPublished {
		t.Fatalf("replay: %s %v", s, err)
	}
	for _, bad := range [][2]string{{EvReceived, EvApproved}, {EvReceived, EvPublished}, {EvApproved, EvDrafted}, {EvDismissed, EvDrafted}, {EvPublished, EvApproved}} {
		if _, err := Next(bad[0], bad[1]); !errs.Is(err, errs.Conflict) {
			t.Errorf("%s → %s allowed: %v", bad[0], bad[1], err)
		}
	}
}

func TestSurveyResponse(t *testing.T) {
	s := Survey{Questions: []Question{
		{ID: 1, Kind: QSingle, Text: "满意吗", Required: true, Options: []Option{{ID: 11, Label: "满意"}, {ID: 12, Label: "不满意"}}},
		{ID: 2, Kind: QMulti, Text: "常用哪些", Options: []Option{{ID: 21, Label: "网站"}, {ID: 22, Label: "热线"}, {ID: 23, Label: "微信"}}},
		{ID: 3, Kind: QText, Text: "建议", Required: true},
	}}
	ans, err := ValidateResponse(s, map[string][]string{"q1": {"11"}, "q2": {"21", "23", "21"}, "q3": {"很好"}})
	if err != nil || len(ans) != 3 || len(ans[1].OptionIDs) != 2 {
		t.Fatalf("good response: %v %+v", err, ans)
	}
	_, err = ValidateResponse(s, map[string][]string{"q1": {"11", "12"}, "q2": {"99"}})
	var fe *errs.FormError
	if !errors.As(err, &fe) || fe.Of("q1") == "" || fe.Of("q2") == "" || fe.Of("q3") == "" {
		t.Fatalf("bad response: %v", err)
	}
	if _, err := ParseQuestion(QSingle, "题目", "只有一个", false); err == nil {
		t.Error("a choice question with one option accepted")
	}
	q, err := ParseQuestion(QMulti, "题目", "甲\n\n乙\r\n丙", true)
	if err != nil || len(q.Options) != 3 {
		t.Errorf("options: %v %+v", err, q.Options)
	}
}

func TestCDRReaderErrors(t *testing.T) {
	kind, _ := KindByKey(ImportCDR)
	csvText := "呼叫编号,来电时间,主叫号码,呼叫结果,排队时长,通话时长,坐席工号\n" +
		"C1,2024-01-02 09:00:00,13800000000,接通,5,00:02:10,8001\n" + // 2 good
		"C2,2024-13-02 09:00:00,13800000000,接通,5,60,8001\n" + // 3 bad month
		"C3,2024-01-02 09:05:00,13800000000,挂机,5,60,8001\n" + // 4 unknown outcome
		"C4,2024-01-02 09:06:00,13800000000\n" + // 5 too few columns
		",2024-01-02 09:07:00,13800000000,放弃,5,0,\n" + // 6 empty id
		"C6,2024-01-02 09:08:00,13800000000,放弃,5,30,\n" + // 7 talk on abandoned
		"C7,2024-01-02 09:09:00,138\"00,接通,5,1:30,8002\n" + // 8 bare quote
		"C8,2024/1/2 9:10,13800000000,ANSWERED,x,30,8003\n" + // 9 bad wait
		"C9,2024-01-02T01:11:00Z,13800000000,放弃,12,,\n" // 10 good (UTC time)
	r, err := NewReader(kind, SampleMapping(), strings.NewReader(csvText))
	if err != nil {
		t.Fatal(err)
	}
	var good []CDR
	bad := map[int]string{}
	for {
		line, rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var re RowError
		if errors.As(err, &re) {
			bad[re.Line] = re.Reason
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		_ = line
		good = append(good, rec.(CDR))
	}
	if len(good) != 2 || good[0].TalkSecs != 130 || !good[0].Answered || good[1].Answered || good[1].WaitSecs != 12 {
		t.Errorf("good rows: %+v", good)
	}
	if !good[1].StartedAt.Equal(time.Date(2024, 1, 2, 1, 11, 0, 0, time.UTC)) {
		t.Errorf("UTC time: %v", good[1].StartedAt)
	}
	if !good[0].StartedAt.Equal(time.Date(2024, 1, 2, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("Beijing time: %v", good[0].StartedAt)
	}
	want := map[int]string{3: "来电时间", 4: "呼叫结果“挂机”", 5: "有 3 列", 6: "呼叫编号为空", 7: "通话时长为 30 秒", 8: "引号", 9: "排队时长“x”"}
	for line, frag := range want {
		if !strings.Contains(bad[line], frag) {
			t.Errorf("line %d: %q, want it to mention %q", line, bad[line], frag)
		}
	}
	if len(bad) != len(want) {
		t.Errorf("bad lines: %v", bad)
	}
	// A mapping naming a column the file lacks is refused before any row.
	m := SampleMapping()
	m.Columns["started_at"] = "开始时间"
	if _, err := NewReader(kind, m, strings.NewReader(csvText)); err == nil || !strings.Contains(errs.MessageOf(err), "没有名为“开始时间”的列") {
		t.Errorf("missing column: %v", err)
	}
	delete(m.Columns, "started_at")
	if _, err := NewReader(kind, m, strings.NewReader(csvText)); err == nil || !strings.Contains(errs.MessageOf(err), "请为“来电时间”选择对应的列") {
		t.Errorf("unmapped required field: %v", err)
	}
}

func TestReaderGB18030AndSuggest(t *testing.T) {
	kind, _ := KindByKey(ImportVisits)
	// "日期,栏目,访问量\n2024-01-01,首页,12\n" in GB18030.
	gb := []byte{0xc8, 0xd5, 0xc6, 0xda, ',', 0xc0, 0xb8, 0xc4, 0xbf, ',', 0xb7, 0xc3, 0xce, 0xca, 0xc1, 0xbf, '\n'}
	gb = append(gb, []byte("2024-01-01,")...)
	gb = append(gb, 0xca, 0xd7, 0xd2, 0xb3)
	gb = append(gb, []byte(",12\n")...)
	if DetectEncoding(gb) != "gb18030" {
		t.Fatal("GB18030 not detected")
	}
	m := Suggest(kind, []string{"日期", "栏目", "访问量"})
	if m.Columns["day"] != "日期" || m.Columns["group"] != "栏目" || m.Columns["hits"] != "访问量" {
		t.Fatalf("suggest: %v", m.Columns)
	}
	m.Encoding = "gb18030"
	r, err := NewReader(kind, m, strings.NewReader(string(gb)))
	if err != nil {
		t.Fatal(err)
	}
	_, rec, err := r.Next()
	if err != nil || rec.(VisitRow) != (VisitRow{Day: "2024-01-01", Group: "home", Hits: 12}) {
		t.Fatalf("row: %+v %v", rec, err)
	}
	if _, err := ParseMappingSpec(kind, "day=日期,nonsense=x"); err == nil {
		t.Error("unknown field in spec accepted")
	}
}

func TestPageGroup(t *testing.T) {
	for path, want := range map[string]string{
		"/": "home", "/column/guide": "guide", "/column/catalog": "proactive", "/interact/message/new": "interact",
		"/interactive": "other", "/admin/desk": "", "/static/style.css": "", "/column/apply": "apply", "/column/reports": "reports",
	} {
		if got := PageGroup(path); got != want {
			t.Errorf("PageGroup(%q) = %q, want %q", path, got, want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
