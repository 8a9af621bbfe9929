package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestSegment(t *testing.T) {
	d := Segment("福州海关发布RCEP公告（２０２４）", 0)
	want := []string{"福州", "州海", "海关", "关发", "发布", "rcep", "公告", "2024"}
	if !reflect.DeepEqual(d.Phrase, want) {
		t.Errorf("phrase = %q, want %q", d.Phrase, want)
	}
	if got := strings.Join(d.Chars, ""); got != "福州海关发布公告" {
		t.Errorf("chars = %q", got)
	}
	// A single Han character between punctuation has no bigram, only its char.
	d = Segment("第1号", 0)
	if !reflect.DeepEqual(d.Phrase, []string{"1"}) || strings.Join(d.Chars, "") != "第号" {
		t.Errorf("第1号: %q %q", d.Phrase, d.Chars)
	}
	if d := Segment(strings.Repeat("海关", 100), 10); len(d.Phrase) != 10 {
		t.Errorf("limit: %d tokens", len(d.Phrase))
	}
}

func TestParse(t *testing.T) {
	q := Parse("  海关总署 关, RCEP 海关总署 ２０２４ ")
	var kinds []Kind
	var texts []string
	for _, term := range q.Terms {
		kinds = append(kinds, term.Kind)
		texts = append(texts, term.Text)
	}
	if !reflect.DeepEqual(texts, []string{"海关总署", "关", "rcep", "2024"}) || !reflect.DeepEqual(kinds, []Kind{Phrase, Char, Word, Word}) {
		t.Fatalf("terms %q kinds %v", texts, kinds)
	}
	if !reflect.DeepEqual(q.Terms[0].Tokens, []string{"海关", "关总", "总署"}) {
		t.Errorf("tokens %q", q.Terms[0].Tokens)
	}
	if !Parse("，。！ ").Empty() {
		t.Error("punctuation only should be empty")
	}
	if n := len(Parse(strings.Repeat("a b c d e f g h i j k l m n o p ", 2)).Terms); n != MaxTerms {
		t.Errorf("terms kept: %d", n)
	}
}

func TestContains(t *testing.T) {
	cases := []struct {
		q, text string
		want    bool
	}{
		{"海关", "福州海关关于公布2024年行政许可的公告", true},
		{"关税", "海关 税务", false},
		{"关税", "进口关税配额", true},
		{"公开 海关", "海关政府信息公开指南", true},
		{"公开 海关", "海关政府信息指南", false},
		{"rcep", "RCEP关税政策", true},
		{"rce", "RCEP关税政策", false},
		{"关", "海关", true},
		{"２０２４", "2024年", true},
	}
	for _, c := range cases {
		if got := Parse(c.q).Contains(c.text); got != c.want {
			t.Errorf("%q in %q = %v, want %v", c.q, c.text, got, c.want)
		}
	}
}

func TestHighlightAndSnippet(t *testing.T) {
	q := Parse("海关 <b>")
	got := q.Highlight("福州海关<b>关于海关</b>")
	want := "福州<mark>海关</mark>&lt;<mark>b</mark>&gt;关于<mark>海关</mark>&lt;/<mark>b</mark>&gt;"
	if got != want {
		t.Errorf("highlight:\n got %s\nwant %s", got, want)
	}
	long := strings.Repeat("一二三四五六七八九十", 20) + "福州海关" + strings.Repeat("甲乙丙丁", 20)
	s := Parse("海关").Snippet(long, 40)
	if !strings.Contains(s, "<mark>海关</mark>") || !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet %q", s)
	}
	if s := Parse("无此词").Snippet("短文本", 40); s != "短文本" {
		t.Errorf("no-match snippet %q", s)
	}
}
