package redact

import (
	"testing"

	"gongkai/internal/errs"
)

func TestLogQuestion(t *testing.T) {
	rules := append([]Rule{{Name: "坏规则", Kind: Pattern, Text: "("}, {Name: "案件当事人", Kind: Term, Text: "王秀英", Ground: "withheld_third_party_rights"}}, DefaultRules...)
	for _, c := range []struct{ in, names, want string }{
		{"请公开2024年行政处罚决定书目录", "张三", "请公开2024年行政处罚决定书目录"},
		{"我是张三，手机13912345678，请公开目录", "张三", "我是［已删除］，手机［已删除］，请公开目录"},
		{"身份证350102198807154321的王秀英案卷", "", "身份证［已删除］的［已删除］案卷"},
		{"请公开张某某的答复", "张", "请公开张某某的答复"}, // a one-character name is not a name to remove
	} {
		if got := LogQuestion(c.in, rules, []string{c.names}); got != c.want {
			t.Errorf("LogQuestion(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCheckLogQuestion(t *testing.T) {
	for _, c := range []struct {
		q    string
		fail bool
	}{
		{"请公开目录", false},
		{"  ", true},
		{"电话13912345678", true},
		{"张三的申请", true},
		{string(make([]rune, MaxLogQuestion+1)), true},
	} {
		err := CheckLogQuestion(c.q, DefaultRules, []string{"张三"})
		if (err != nil) != c.fail || err != nil && !errs.Is(err, errs.Invalid) {
			t.Errorf("CheckLogQuestion(%q) = %v", c.q, err)
		}
	}
	if LogShowsDocuments("partly_disclosed") || !LogShowsDocuments("disclosed") {
		t.Error("documents only for 予以公开")
	}
}
