package requests

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
)

var testOffice = Office{Short: "福州关", DocNo: DefaultDocNo, Contact: "王芳", Phone: "（0591）87081207",
	Address: "福建省福州市江滨东大道76号（邮编350015）", Email: "fzhgxxgk@customs.gov.cn", Payment: "通过本机关非税收入缴款码缴纳"}

func TestWriteNotice(t *testing.T) {
	base := NoticeData{Unit: "福州海关", Office: testOffice, ReceiptNo: "YSQ20240927000001", Applicant: "张三", ReceivedOn: d("2024-09-27"),
		Description: "2024年行政处罚决定书目录。", On: d("2024-10-08"), Bands: DefaultFeeBands}
	for _, tc := range []struct {
		kind NoticeKind
		set  func(*NoticeData)
		want []string
		not  []string
	}{
		{NoticeCorrection, func(n *NoticeData) { n.Due, n.Note = d("2024-10-29"), "请写明决定书的文号" },
			[]string{"补正申请告知书", "第三十条", "需要补正的事项如下：请写明决定书的文号。", "请您于2024年10月29日前", "视为放弃申请",
				"在线提交", "邮寄或送达福建省福州市江滨东大道76号", "发送电子邮件至fzhgxxgk@customs.gov.cn", "致电（0591）87081207联系"}, nil},
		{NoticeExtension, func(n *NoticeData) { n.Due, n.Days = d("2024-11-27"), 20 },
			[]string{"延期答复告知书", "第三十三条第二款", "延长20个工作日", "于2024年11月27日前作出答复", "工作量较大"}, nil},
		{NoticeFee, func(n *NoticeData) {
			n.Due, n.Yuan, n.Basis, n.Note = d("2024-11-05"), 100, PerRequest, "依据国办函〔2020〕109号按件计收：本自然月第12件申请，收费100元。"
		},
			[]string{"信息处理费收费通知书", "第四十二条", "数量、频次明显超过合理范围", "按件计收", "11件至30件的部分，每件100元", "应缴纳信息处理费100元",
				"缴费方式：通过本机关非税收入缴款码缴纳", "自收到本通知书之日起20个工作日内（2024年11月5日前）"}, nil},
		{NoticeFee, func(n *NoticeData) {
			n.Due, n.Yuan, n.Basis, n.Pages, n.Note = d("2024-11-05"), 1100, PerPage, 120, "依据国办函〔2020〕109号按量计收：共120页，累进计算收费1100元。"
		},
			[]string{"共120页，超过免收信息处理费的30页", "按量计收", "31页至100页的部分，每页10元", "201页以上的部分，每页40元", "应缴纳信息处理费1100元"},
			[]string{"数量、频次明显超过合理范围", "按件计收"}},
		{NoticeConsult, func(n *NoticeData) {
			n.Due, n.Party, n.PartyName = d("2024-10-29"), PartyThird, "福州某贸易有限公司"
		},
			[]string{"政府信息公开征求意见书", "第三十二条", "自收到本征求意见书之日起15个工作日内", "由本机关依照", "不同意公开的，请说明理由"}, []string{"张三", "视为同意"}},
		{NoticeConsult, func(n *NoticeData) {
			n.Due, n.Party, n.PartyName = d("2024-10-29"), PartyAgency, "福州市市场监督管理局"
		},
			[]string{"第三十四条", "共同制作", "逾期未提出意见的，视为同意公开"}, []string{"张三"}},
		{NoticeReasons, func(n *NoticeData) { n.Note = "请说明申请上述信息的用途" },
			[]string{"说明理由通知书", "第三十五条", "请您说明理由", "请说明申请上述信息的用途。", "不予处理", "延迟答复的合理期限"}, nil},
		{NoticeLater, func(n *NoticeData) { n.Due, n.ReasonsOn = d("2024-12-20"), d("2024-10-09") },
			[]string{"延迟答复告知书", "第三十五条", "已于2024年10月9日要求您说明理由", "将于2024年12月20日前作出答复"}, nil},
		{NoticeThirdParty, func(n *NoticeData) {
			n.Party, n.PartyName, n.ConsultedOn, n.RepliedOn, n.Note = PartyThird, "福州某贸易有限公司", d("2024-09-30"), d("2024-10-09"), "该信息涉及进口冻品的检疫结果，关系公众健康"
		},
			[]string{"政府信息公开决定告知书", "第十五条、第三十二条", "2024年9月30日", "2024年10月9日答复不同意公开", "理由：该信息涉及进口冻品的检疫结果，关系公众健康。", ThirdPartyRemedy},
			[]string{"张三"}},
	} {
		n := base
		tc.set(&n)
		l, err := WriteNotice(tc.kind, n)
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		text := l.Text()
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", tc.kind, w, text)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(text, w) {
				t.Errorf("%s says %q:\n%s", tc.kind, w, text)
			}
		}
		if strings.Contains(text, "{") || doubled.MatchString(text) {
			t.Errorf("%s: placeholder or doubled punctuation left:\n%s", tc.kind, text)
		}
		if l.Date != d("2024-10-08") || l.Agency != "福州海关" || l.Contact != "（联系人：王芳　联系电话：（0591）87081207）" {
			t.Errorf("%s: %+v", tc.kind, l)
		}
		if (l.Addressee == "张三") != tc.kind.ToApplicant() {
			t.Errorf("%s addressed to %q", tc.kind, l.Addressee)
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
	f.Yuan, f.Basis = 100, PerPage
	if _, err := WriteNotice(NoticeFee, f); !errs.Is(err, errs.Invalid) {
		t.Errorf("per page without pages: %v", err)
	}
	if _, err := WriteNotice(NoticeExtension, base); !errs.Is(err, errs.Invalid) {
		t.Errorf("extension without a date: %v", err)
	}
	if _, err := WriteNotice(NoticeThirdParty, base); !errs.Is(err, errs.Invalid) {
		t.Errorf("third party letter without its dates: %v", err)
	}
	if ks := NoticesFor(ev(Answered, "2024-10-08"), State{}); len(ks) != 0 {
		t.Errorf("the answer is not a notice: %v", ks)
	}
	if ks := NoticesFor(ev(Answered, "2024-10-08"), State{PublicInterest: true}); len(ks) != 1 || ks[0] != NoticeThirdParty {
		t.Errorf("an answer against the objection tells the third party: %v", ks)
	}
}

func TestOffice(t *testing.T) {
	for unit, short := range map[string]string{"福州海关": "福州关", "海关总署": "署", "福建省商务厅": "福建省商务厅"} {
		if got := ShortName(unit); got != short {
			t.Errorf("%s: %s", unit, got)
		}
	}
	o := Office{}.WithDefaults("福州海关")
	if got := o.DocNumber(LetterAnswer, 2026, 3); got != "福州关依复〔2026〕3号" {
		t.Errorf("number %s", got)
	}
	if got := o.DocNumber(NoticeFee, 2026, 12); got != "福州关依费〔2026〕12号" {
		t.Errorf("number %s", got)
	}
	if o.ContactLine() != "" || !strings.Contains(o.ElseWhere(), "联系") || o.Payment != DefaultPayment {
		t.Errorf("defaults %+v", o)
	}
	bad := Office{DocNo: "{简称}第{号}号", Site: "fuzhou.customs.gov.cn", Email: "x", Contact: " 王芳"}
	err := bad.Validate()
	var fe *errs.FormError
	if !asForm(err, &fe) || fe.Of("docno") == "" || fe.Of("site") == "" || fe.Of("email") == "" || fe.Of("contact") == "" {
		t.Errorf("validate: %v", err)
	}
	if err := testOffice.Validate(); err != nil {
		t.Errorf("good office: %v", err)
	}
}

func TestTidy(t *testing.T) {
	for in, want := range map[string]string{
		"申请获取“2024年文件。”。": "申请获取“2024年文件。”",
		"详见附件。。":          "详见附件。",
		"理由如下：。":          "理由如下：",
		"涉及商业秘密，。":        "涉及商业秘密。",
		"予以公开。；其他":        "予以公开。其他",
		"一切正常。":           "一切正常。",
	} {
		if got := Tidy(in); got != want {
			t.Errorf("Tidy(%q) = %q, want %q", in, got, want)
		}
	}
}
