package requests

import (
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
)

// This file is the consultation of a third party (条例第三十二条) or of
// another agency that produced the information jointly (第三十四条):
//
//   - the consulted party has 15 working days from the day it received the
//     consultation (自收到征求意见书之日起15个工作日内, ConsultReplyDays; the
//     day of receipt defaults by channel, service.go);
//   - the time spent consulting is not counted in the answer period
//     (第三十三条第三款): a pause from the day after the letter went out to
//     the day the reply arrives — but never past the 15th working day. When
//     the limit passes without a reply, the application shows it and the
//     clock resumes on the working day after the 15th, as the history is
//     replayed (no job moves it); a reply recorded later does not stop the
//     clock again;
//   - 第三十二条: a third party that does not reply is taken as giving no
//     view, and the agency decides; one that objects with reasons — the
//     information is not disclosed, unless the agency finds that not
//     disclosing would seriously harm the public interest (第十五条): then it
//     discloses, tells the third party in writing what it will disclose and
//     why (a letter of its own, NoticeThirdParty), and, the decision going
//     against the third party, it passes legal review;
//   - 第三十四条: another agency that does not reply within the limit is
//     taken to agree (逾期未提出意见的视为同意公开).

// Party is whom a consultation asks.
type Party string

// The parties.
const (
	PartyThird  Party = "third_party" // 第三方（条例第三十二条）
	PartyAgency Party = "agency"      // 其他机关（条例第三十四条）
)

// Label is the Chinese name of the party.
func (p Party) Label() string {
	if p == PartyAgency {
		return "其他机关"
	}
	return "第三方"
}

// Reply is the consulted party's answer.
type Reply string

// The replies.
const (
	ReplyAgreed   Reply = "agreed"   // 同意公开
	ReplyObjected Reply = "objected" // 不同意公开，并说明理由
	ReplyNone     Reply = "none"     // 期满未答复
)

// Label is the Chinese name of the reply.
func (r Reply) Label(p Party) string {
	switch r {
	case ReplyAgreed:
		return "同意公开"
	case ReplyObjected:
		return "不同意公开"
	case ReplyNone:
		if p == PartyAgency {
			return "期满未提出意见，视为同意公开（条例第三十四条）"
		}
		return "期满未答复"
	}
	return "已答复"
}

// ConsultReplyDays is the consulted party's period in working days.
const ConsultReplyDays = 15

// Consultation is one consultation of an application.
type Consultation struct {
	Party     Party
	Name      string        // the third party or the agency
	SentOn    calendar.Date // the day the letter went out
	ServedOn  calendar.Date // the day the party received it
	Limit     calendar.Date // the last day to reply: the 15th working day after ServedOn
	Reply     Reply         // "" while open
	RepliedOn calendar.Date
}

// Open reports whether the consultation awaits its reply.
func (c Consultation) Open() bool { return c.RepliedOn.IsZero() }

// Lapsed reports whether the limit has passed on asOf without a reply.
func (c Consultation) Lapsed(asOf calendar.Date) bool {
	return c.Open() && !c.Limit.IsZero() && asOf.After(c.Limit)
}

// OpenConsultation is the consultation awaiting its reply, if any.
func (s State) OpenConsultation() (Consultation, bool) {
	if n := len(s.Consultations); n > 0 && s.Consultations[n-1].Open() {
		return s.Consultations[n-1], true
	}
	return Consultation{}, false
}

// ConsultLapsed reports whether on asOf a consultation's limit has passed
// without a reply: the clock runs again, and the handler must decide.
func (s State) ConsultLapsed(asOf calendar.Date) bool {
	c, ok := s.OpenConsultation()
	return ok && c.Lapsed(asOf)
}

// ThirdPartyObjection is the last third-party consultation if it ended in
// an objection.
func (s State) ThirdPartyObjection() (Consultation, bool) {
	for i := len(s.Consultations) - 1; i >= 0; i-- {
		if c := s.Consultations[i]; c.Party == PartyThird {
			return c, c.Reply == ReplyObjected
		}
	}
	return Consultation{}, false
}

func consultReason(p Party) string {
	if p == PartyAgency {
		return "征求其他机关意见（条例第三十四条）"
	}
	return "征求第三方意见（条例第三十二条）"
}

func (s *State) startConsult(cal *calendar.Calendar, e Event) error {
	if err := checkService(e); err != nil {
		return err
	}
	party := e.Party
	if party == "" {
		party = PartyThird
	}
	if party != PartyThird && party != PartyAgency {
		return errs.FieldError("party", "请选择征求意见的对象（第三方或其他机关）。")
	}
	c := Consultation{Party: party, Name: strings.TrimSpace(e.PartyName), SentOn: e.On, ServedOn: servedOn(e)}
	limit, err := cal.AddWorkdays(c.ServedOn, ConsultReplyDays, nil)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "无法计算征求意见期限。")
	}
	c.Limit = limit.Due
	s.Consultations = append(s.Consultations, c)
	s.consultFrom, s.Status = e.On, StatusConsulting
	return nil
}

// serveConsult records the day the party received the consultation (the
// return receipt came back): the limit moves with it.
func (s *State) serveConsult(cal *calendar.Calendar, e Event) error {
	c := &s.Consultations[len(s.Consultations)-1]
	if e.On.Before(c.SentOn) {
		return errs.FieldError("on", "收到日期不能早于征求意见书发出之日（%s）。", c.SentOn)
	}
	limit, err := cal.AddWorkdays(e.On, ConsultReplyDays, nil)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "无法计算征求意见期限。")
	}
	c.ServedOn, c.Limit = e.On, limit.Due
	return nil
}

func (s *State) endConsult(e Event) error {
	c := &s.Consultations[len(s.Consultations)-1]
	switch e.Reply {
	case ReplyAgreed, ReplyObjected, "": // "": recorded before replies were kept
	case ReplyNone:
		if !e.On.After(c.Limit) {
			return refuse("征求意见期限至%s（自对方收到之日起15个工作日），期满前不能登记“期满未答复”。", c.Limit)
		}
	default:
		return errs.FieldError("reply", "请选择对方的答复。")
	}
	if e.Reply == ReplyObjected && c.Party == PartyThird && strings.TrimSpace(e.Note) == "" {
		return errs.FieldError("note", "请写明第三方不同意公开的理由（条例第三十二条）。")
	}
	c.Reply, c.RepliedOn = e.Reply, e.On
	if e.Reply == ReplyNone && c.Party == PartyAgency {
		c.Reply = ReplyAgreed // 第三十四条: silence is consent
	}
	s.closeConsult(e.On)
	s.Status = StatusProcessing
	return nil
}

// closeConsult ends the consultation's pause on the day the reply came,
// but never past the limit.
func (s *State) closeConsult(on calendar.Date) {
	if s.consultFrom.IsZero() {
		return
	}
	c := s.Consultations[len(s.Consultations)-1]
	end := on
	if !c.Limit.IsZero() && end.After(c.Limit) {
		end = c.Limit
	}
	s.addPause(s.consultFrom, end, consultReason(c.Party))
	s.consultFrom = calendar.Date{}
}

// checkObjection applies 第三十二条 to a decision: after a third party's
// reasoned objection, full disclosure only in the public interest, with the
// reason; the public interest is no ground without an objection.
func (s State) checkObjection(e Event) error {
	obj, objected := s.ThirdPartyObjection()
	if e.PublicInterest {
		if !objected {
			return errs.FieldError("public_interest", "第三方未表示不同意公开，无需以公共利益为由决定公开。")
		}
		if e.Outcome != annual.RowDisclosed && e.Outcome != annual.RowPartlyDisclosed {
			return errs.FieldError("public_interest", "以公共利益为由决定公开的，办理结果应为予以公开或部分公开。")
		}
		if strings.TrimSpace(e.Note) == "" {
			return errs.FieldError("note", "请写明不公开会对公共利益造成重大影响的理由（条例第十五条、第三十二条）。")
		}
		return nil
	}
	if objected && e.Outcome == annual.RowDisclosed {
		return refuse("第三方已于%s答复不同意公开：应不予公开（条例第十五条），或认定不公开会对公共利益造成重大影响并写明理由后决定公开（条例第三十二条）。", obj.RepliedOn)
	}
	return nil
}
