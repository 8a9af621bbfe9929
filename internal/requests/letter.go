package requests

import (
	"fmt"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
)

// Letter is a document an application's life sends: the answer letter
// (answerletter.go) or a notice (notices.go), laid out after GB/T
// 9704-2012: the issuing agency's name with the title, the 文书编号, the
// addressee, the body, the agency and the date with a place for the seal,
// and the contact person and telephone.
type Letter struct {
	Kind       NoticeKind
	Agency     string        // 发文机关, in the title: 福州海关
	Title      string        // 政府信息公开申请答复书
	Number     string        // 文书编号 (福州关依复〔2026〕3号), allocated when it is stored
	Addressee  string        // 主送: the applicant, the third party, the agency
	Paragraphs []string      // the body; the last ones are the remedy notice where there is one
	Date       calendar.Date // 成文日期
	Contact    string        // 附注: （联系人：…　联系电话：…）
}

// FullTitle is the title with the agency's name: 福州海关政府信息公开申请答复书.
func (l Letter) FullTitle() string { return l.Agency + l.Title }

// Text is the letter as plain text, line by line as printed.
func (l Letter) Text() string {
	lines := []string{l.FullTitle()}
	if l.Number != "" {
		lines = append(lines, l.Number)
	}
	if l.Addressee != "" {
		lines = append(lines, l.Addressee+"：")
	}
	lines = append(lines, l.Paragraphs...)
	lines = append(lines, l.Agency+"（印章）", ChineseDate(l.Date))
	if l.Contact != "" {
		lines = append(lines, l.Contact)
	}
	return strings.Join(lines, "\n")
}

// compose fills text with the replacer and lays it out: a first line
// ending in "：" is the addressee (the texts begin with 「{申请人}：」);
// every paragraph has its punctuation tidied.
func compose(kind NoticeKind, title, agency, text string, rep *strings.Replacer, date calendar.Date, office Office) Letter {
	l := Letter{Kind: kind, Agency: agency, Title: title, Date: date, Contact: office.ContactLine()}
	for i, p := range strings.Split(rep.Replace(text), "\n") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if i == 0 && strings.HasSuffix(p, "：") && len([]rune(p)) <= 40 {
			l.Addressee = strings.TrimSuffix(p, "：")
			continue
		}
		l.Paragraphs = append(l.Paragraphs, Tidy(p))
	}
	return l
}

// Tidy removes the doubled punctuation that filling a text can leave: a
// description ending in a full stop inside its quotation marks
// (「…文件。”。」), a note ending in one before the text's own
// (「…。。」), a comma or semicolon before a full stop.
func Tidy(s string) string {
	for {
		t := s
		for _, r := range []struct{ from, to string }{
			{"。”。", "。”"}, {"。」。", "。」"}, {"。）。", "。）"},
			{"。。", "。"}, {"，。", "。"}, {"；。", "。"}, {"、。", "。"}, {"：。", "："},
			{"。，", "。"}, {"。；", "。"}, {"？。", "？"}, {"！。", "！"}, {"，，", "，"},
		} {
			t = strings.ReplaceAll(t, r.from, r.to)
		}
		if t == s {
			return s
		}
		s = t
	}
}

// sentence makes a note a sentence: trimmed, ending in a full stop unless
// it ends in other closing punctuation; "" stays "".
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if strings.HasSuffix(s, "。") || strings.HasSuffix(s, "？") || strings.HasSuffix(s, "！") || strings.HasSuffix(s, "”") || strings.HasSuffix(s, "）") {
		return s
	}
	return strings.TrimRight(s, "，；、,;.") + "。"
}

// quoted is a description as a letter quotes it: one line, at most 200
// characters, without the full stop that would end up doubled after it.
func quoted(desc string) string {
	d := strings.Join(strings.Fields(desc), " ")
	if r := []rune(d); len(r) > 200 {
		d = string(r[:200]) + "……"
	}
	return strings.TrimRight(d, "。，；、.,; ")
}

// Procedure is what the letter to the applicant says of the steps taken
// (办理经过): only those in the history — a 补正 asked and received, a
// consultation and its reply, an extension, a request for reasons and a
// later date, a fee noticed and paid — and, where the decision went against
// a third party's objection, the public interest that required it. It is
// "" when the application went straight to its answer.
func Procedure(history []Event) string {
	var b strings.Builder
	var st State
	var decided Event
	for _, e := range history {
		switch e.Kind {
		case CorrectionRequested:
			fmt.Fprintf(&b, "本机关于%s告知您补正申请。", ChineseDate(e.On))
		case Corrected:
			fmt.Fprintf(&b, "本机关于%s收到您补正后的申请，答复期限自该日起重新计算。", ChineseDate(e.On))
		case ConsultStarted:
			party := e.Party
			if party == "" {
				party = PartyThird
			}
			st.Consultations = append(st.Consultations, Consultation{Party: party})
			fmt.Fprintf(&b, "本机关于%s书面征求%s意见，征求意见期间不计入答复期限。", ChineseDate(e.On), party.Label())
		case ConsultEnded:
			party := PartyThird
			if n := len(st.Consultations); n > 0 {
				party = st.Consultations[n-1].Party
			}
			switch e.Reply {
			case ReplyAgreed:
				fmt.Fprintf(&b, "%s于%s答复同意公开。", party.Label(), ChineseDate(e.On))
			case ReplyObjected:
				fmt.Fprintf(&b, "%s于%s答复不同意公开。", party.Label(), ChineseDate(e.On))
			case ReplyNone:
				if party == PartyAgency {
					b.WriteString("其他机关在规定期限内未提出意见，视为同意公开（条例第三十四条）。")
				} else {
					b.WriteString("第三方在规定期限内未提出意见。")
				}
			}
		case Extended:
			fmt.Fprintf(&b, "经本机关政府信息公开工作机构负责人同意，本机关于%s告知您答复期限延长%d个工作日。", ChineseDate(e.On), e.Days)
		case ReasonsRequested:
			fmt.Fprintf(&b, "本机关于%s要求您说明理由（条例第三十五条）。", ChineseDate(e.On))
		case ReasonsAccepted:
			fmt.Fprintf(&b, "经审查您说明的理由合理，本机关于%s告知您延迟至%s答复。", ChineseDate(e.On), ChineseDate(e.Until))
		case FeeNoticed:
			fmt.Fprintf(&b, "本机关于%s向您发出信息处理费收费通知（%d元）。", ChineseDate(e.On), e.Yuan)
		case FeePaid:
			fmt.Fprintf(&b, "您已于%s缴纳信息处理费。", ChineseDate(e.On))
		case Decided:
			decided = e // the last decision is the one answered
		}
	}
	if decided.PublicInterest && (decided.Outcome == annual.RowDisclosed || decided.Outcome == annual.RowPartlyDisclosed) {
		b.WriteString("本机关认为不公开会对公共利益造成重大影响，根据《中华人民共和国政府信息公开条例》第十五条、第三十二条的规定决定予以公开，并已书面告知第三方。")
	}
	return b.String()
}
