package requests

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
)

func TestWriteNotice(t *testing.T) {
	base := NoticeData{Unit: "福州海关", ReceiptNo: "YSQ20240927000001", Applicant: "张三", ReceivedOn: d("2024-09-27"),
		Description: "2024年行政处罚决定书目录", On: d("2024-10-08")}
	for _, tc := range []struct {
		kind NoticeKind
		set  func(*NoticeData)
		want []string
	}{
		{NoticeCorrection, func(n *NoticeData) { n.Due, n.Note = d("2024-10-29"), "请写明决定书的文号" },
			[]string{"补正申请告知书", "第三十条", "需要补正的事项如下：请写明决定书的文号。", "请您于2024年10月29日前", "视为放弃申请"}},
		{NoticeExtension, func(n *NoticeData) { n.Due, n.Days = d("2024-11-27"), 20 },
			[]string{"延期答复告知书", "第三十三条第二款", "延长20个工作日", "于2024年11月27日前作出答复", "工作量较大"}},
		{NoticeFee, func(n *NoticeData) {
			n.Due, n.Yuan, n.Note = d("2024-11-05"), 1100, "依据国办函〔2020〕109号按量计收：共120页，累进计算收费1100元。"
		},
			[]string{"信息处理费收费通知书", "第四十二条", "收取信息处理费1100元", "共120页", "请您于2024年11月5日前缴纳"}},
	} {
		n := base
		tc.set(&n)
		l, err := WriteNotice(tc.kind, n)
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		text := l.Title + "\n" + strings.Join(l.Paragraphs, "\n")
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", tc.kind, w, text)
			}
		}
		if strings.Contains(text, "{") || strings.Contains(text, "。。") {
			t.Errorf("%s: placeholder or doubled stop left:\n%s", tc.kind, text)
		}
		if l.Signature[1] != "2024年10月8日" {
			t.Errorf("%s signed %v", tc.kind, l.Signature)
		}
	}
	// A notice is never sent with a blank: no items to correct, no amount, no date.
	c := base
	c.Due = d("2024-10-29")
	if _, err := WriteNotice(NoticeCorrection, c); !errs.Is(err, errs.Invalid) {
		t.Errorf("补正 without items: %v", err)
	}
	f := base
	f.Due = d("2024-11-05")
	if _, err := WriteNotice(NoticeFee, f); !errs.Is(err, errs.Invalid) {
		t.Errorf("fee without amount: %v", err)
	}
	if _, err := WriteNotice(NoticeExtension, base); !errs.Is(err, errs.Invalid) {
		t.Errorf("extension without a date: %v", err)
	}
	if k, ok := NoticeFor(Answered); ok {
		t.Errorf("the answer is not a notice: %s", k)
	}
}
