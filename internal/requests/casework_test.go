package requests

import (
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// replay replays events and fails the test on a refusal.
func replay(t *testing.T, set Settings, evs ...Event) State {
	t.Helper()
	s, err := Replay(calendar.Default(), set, evs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// refused applies bad after before and checks the refusal's code and
// words, and that the state did not change.
func refused(t *testing.T, name string, set Settings, before []Event, bad Event, code errs.Code, msg string) {
	t.Helper()
	s := replay(t, set, before...)
	was := s
	err := s.Apply(calendar.Default(), set, bad)
	if errs.CodeOf(err) != code || !strings.Contains(errs.MessageOf(err), msg) {
		t.Errorf("%s: %v; want %s containing %q", name, err, code, msg)
	}
	if s.Status != was.Status || s.Outcome != was.Outcome || len(s.Consultations) != len(was.Consultations) || len(s.Pauses) != len(was.Pauses) {
		t.Errorf("%s: the refused step changed the state", name)
	}
}

// The consulted party's 15 working days run from the day it received the
// consultation (第三十二条、第三十四条), the day defaulting by channel.
//
//	Received Fri 2024-09-20; the letter goes by registered mail on Mon
//	09-23, the default service is 3 days: received Thu 09-26. Its 15
//	working days: 09-27 #1, Sunday 09-29 worked #2, 09-30 #3, National
//	Day 10-01…10-07, 10-08…10-11 #4–#7, Saturday 10-12 worked #8,
//	10-14…10-18 #9–#13, 10-21 #14, 10-22 #15. Limit 10-22.
//	With the return receipt showing 10-08 instead: 10-09…10-11 #1–#3,
//	10-12 #4, 10-14…10-18 #5–#9, 10-21…10-25 #10–#14, 10-28 #15.
func TestConsultationLimit(t *testing.T) {
	reg := ev(Registered, "2024-09-20")
	sent := Event{Kind: ConsultStarted, On: d("2024-09-23"), Role: org.RoleHandler, SentBy: ChannelRegistered}.WithService(DefaultSettings)
	if sent.ServedOn != d("2024-09-26") {
		t.Fatalf("default service by registered mail: %s", sent.ServedOn)
	}
	if e := (Event{Kind: ConsultStarted, On: d("2024-09-23")}).WithService(DefaultSettings); e.SentBy != ChannelInPerson || e.ServedOn != d("2024-09-23") {
		t.Errorf("default in person: %+v", e)
	}
	if e := (Event{Kind: Decided, On: d("2024-09-23"), SentBy: ChannelFax, ServedOn: d("2024-09-24")}).WithService(DefaultSettings); e.SentBy != "" || !e.ServedOn.IsZero() {
		t.Errorf("a step that sends no letter keeps no service: %+v", e)
	}
	set := DefaultSettings
	set.ServiceDays = map[Channel]int{ChannelRegistered: 5}
	if e := (Event{Kind: ConsultStarted, On: d("2024-09-23"), SentBy: ChannelRegistered}).WithService(set); e.ServedOn != d("2024-09-28") {
		t.Errorf("the setting's service days: %s", e.ServedOn)
	}
	s := replay(t, DefaultSettings, reg, sent)
	c, ok := s.OpenConsultation()
	if !ok || c.Limit != d("2024-10-22") || c.ServedOn != d("2024-09-26") || c.Party != PartyThird {
		t.Fatalf("consultation %+v", c)
	}
	if s.ConsultLapsed(d("2024-10-22")) || !s.ConsultLapsed(d("2024-10-23")) {
		t.Error("the limit day is still in time; the day after it has lapsed")
	}
	// The return receipt: the limit moves with the day of receipt.
	s = replay(t, DefaultSettings, reg, sent, Event{Kind: ConsultServed, On: d("2024-10-08"), Role: org.RoleHandler})
	if c, _ := s.OpenConsultation(); c.Limit != d("2024-10-28") {
		t.Errorf("limit after the return receipt: %s", c.Limit)
	}
	// The pause ends at the reply, at most at the limit; the due date while
	// open is the one in force if no reply comes.
	open := replay(t, DefaultSettings, reg, sent)
	late := replay(t, DefaultSettings, reg, sent, Event{Kind: ConsultEnded, On: d("2024-11-05"), Reply: ReplyObjected, Note: "涉及商业秘密"})
	early := replay(t, DefaultSettings, reg, sent, Event{Kind: ConsultEnded, On: d("2024-10-10"), Reply: ReplyAgreed})
	due := func(s State) calendar.Date {
		r, err := s.Deadline(calendar.Default(), d("2024-11-05"))
		if err != nil {
			t.Fatal(err)
		}
		return r.Due
	}
	if due(open) != due(late) || !due(early).Before(due(open)) {
		t.Errorf("due open %s, replied late %s, replied early %s", due(open), due(late), due(early))
	}
	for _, tc := range []struct {
		name   string
		before []Event
		bad    Event
		code   errs.Code
		msg    string
	}{
		{"期满前登记未答复", []Event{reg, sent}, Event{Kind: ConsultEnded, On: d("2024-10-22"), Reply: ReplyNone}, errs.Conflict, "2024-10-22"},
		{"不同意未写理由", []Event{reg, sent}, Event{Kind: ConsultEnded, On: d("2024-10-10"), Reply: ReplyObjected}, errs.Invalid, "理由"},
		{"未知答复", []Event{reg, sent}, Event{Kind: ConsultEnded, On: d("2024-10-10"), Reply: "maybe"}, errs.Invalid, "答复"},
		{"收到早于发出", []Event{reg}, Event{Kind: ConsultStarted, On: d("2024-09-23"), SentBy: ChannelRegistered, ServedOn: d("2024-09-22")}, errs.Invalid, "不能早于"},
		{"回执早于发出", []Event{reg, sent}, Event{Kind: ConsultServed, On: d("2024-09-22")}, errs.Invalid, "不能早于"},
		{"未征求即送达", []Event{reg}, Event{Kind: ConsultServed, On: d("2024-09-24")}, errs.Conflict, "征求意见中"},
		{"未知对象", []Event{reg}, Event{Kind: ConsultStarted, On: d("2024-09-23"), Party: "court"}, errs.Invalid, "对象"},
	} {
		refused(t, tc.name, DefaultSettings, tc.before, tc.bad, tc.code, tc.msg)
	}
	// 第三十四条: another agency's silence is consent.
	agency := Event{Kind: ConsultStarted, On: d("2024-09-23"), Party: PartyAgency, PartyName: "福州市市场监督管理局"}.WithService(DefaultSettings)
	s = replay(t, DefaultSettings, reg, agency, Event{Kind: ConsultEnded, On: d("2024-10-18"), Reply: ReplyNone})
	if c := s.Consultations[0]; c.Reply != ReplyAgreed || c.Name != "福州市市场监督管理局" {
		t.Errorf("agency silence: %+v", c)
	}
}

// 第三十二条: after a third party's reasoned objection the information is
// withheld, or disclosed in the public interest with the reason, a legal
// review and a letter to the third party.
func TestThirdPartyObjection(t *testing.T) {
	reg := ev(Registered, "2024-09-20")
	sent := Event{Kind: ConsultStarted, On: d("2024-09-23"), PartyName: "福州某贸易公司"}.WithService(DefaultSettings)
	objected := Event{Kind: ConsultEnded, On: d("2024-10-10"), Reply: ReplyObjected, Note: "涉及本公司商业秘密"}
	agreed := Event{Kind: ConsultEnded, On: d("2024-10-10"), Reply: ReplyAgreed}
	refused(t, "第三方反对仍公开", DefaultSettings, []Event{reg, sent, objected}, decide("2024-10-11", annual.RowDisclosed), errs.Conflict, "公共利益")
	refused(t, "公共利益未写理由", DefaultSettings, []Event{reg, sent, objected},
		Event{Kind: Decided, On: d("2024-10-11"), Outcome: annual.RowDisclosed, PublicInterest: true}, errs.Invalid, "理由")
	refused(t, "未反对不需公共利益", DefaultSettings, []Event{reg, sent, agreed},
		Event{Kind: Decided, On: d("2024-10-11"), Outcome: annual.RowDisclosed, PublicInterest: true, Note: "x"}, errs.Invalid, "未表示不同意")
	refused(t, "公共利益却不予公开", DefaultSettings, []Event{reg, sent, objected},
		Event{Kind: Decided, On: d("2024-10-11"), Outcome: annual.RowWithheldThirdPartyRights, PublicInterest: true, Note: "x"}, errs.Invalid, "予以公开或部分公开")
	s := replay(t, DefaultSettings, reg, sent, objected, decide("2024-10-11", annual.RowWithheldThirdPartyRights))
	if s.Status != StatusDecided || !s.NeedsReview {
		t.Errorf("withheld after the objection: %+v", s)
	}
	s = replay(t, DefaultSettings, reg, sent, objected,
		Event{Kind: Decided, On: d("2024-10-11"), Outcome: annual.RowDisclosed, PublicInterest: true, Note: "涉及食品安全，不公开会对公共利益造成重大影响"})
	if !s.PublicInterest || !s.NeedsReview {
		t.Errorf("public interest disclosure must pass legal review: %+v", s)
	}
	refused(t, "公共利益未经审核即答复", DefaultSettings, []Event{reg, sent, objected,
		{Kind: Decided, On: d("2024-10-11"), Outcome: annual.RowDisclosed, PublicInterest: true, Note: "x"}}, ev(Answered, "2024-10-12"), errs.Conflict, "法制审核")
	// Partial disclosure withholding the third party's part needs no public interest.
	replay(t, DefaultSettings, reg, sent, objected, decide("2024-10-11", annual.RowPartlyDisclosed))
	// A later consultation that the third party agrees to lifts the objection.
	replay(t, DefaultSettings, reg, sent, objected, Event{Kind: ConsultStarted, On: d("2024-10-11")}.WithService(DefaultSettings),
		Event{Kind: ConsultEnded, On: d("2024-10-14"), Reply: ReplyAgreed}, decide("2024-10-15", annual.RowDisclosed))
}

// A fee notice goes out within the answer period; the 20 working days to
// pay run from the day after the applicant received it (109号).
//
//	Received Mon 2025-01-20, notice Wed 01-22 by registered mail, received
//	Sat 01-25 (3 days): 01-26 worked #1, 01-27 #2, Spring Festival
//	01-28…02-04, 02-05…02-07 #3–#5, 02-08 worked #6, 02-10…02-14 #7–#11,
//	02-17…02-21 #12–#16, 02-24…02-27 #17–#20. Due 02-27 (in person it was
//	02-25, as TestDeadlines works out).
func TestFeeNotice(t *testing.T) {
	reg := ev(Registered, "2025-01-20")
	byMail := Event{Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100, SentBy: ChannelRegistered, Basis: PerRequest}.WithService(DefaultSettings)
	if s := replay(t, DefaultSettings, reg, byMail); s.FeeDue != d("2025-02-27") {
		t.Errorf("fee due by mail %s, want 2025-02-27", s.FeeDue)
	}
	// Received Fri 2024-03-01: the answer period ends Fri 03-29.
	refused(t, "期满后收费", DefaultSettings, []Event{ev(Registered, "2024-03-01")},
		Event{Kind: FeeNoticed, On: d("2024-04-01"), Yuan: 100}, errs.Conflict, "答复期限内")
	replay(t, DefaultSettings, ev(Registered, "2024-03-01"), Event{Kind: FeeNoticed, On: d("2024-03-29"), Yuan: 100})
}

// Outcomes that name a step need the step; the letters state only steps
// that happened.
func TestOutcomePrerequisites(t *testing.T) {
	reg := ev(Registered, "2024-02-01")
	ask := Event{Kind: CorrectionRequested, On: d("2024-02-02"), Note: "请写明文号"}
	refused(t, "未补正即仍不明确", DefaultSettings, []Event{reg}, decide("2024-02-05", annual.RowUnavailableStillUnclear), errs.Conflict, "收到补正")
	replay(t, DefaultSettings, reg, ask, ev(Corrected, "2024-02-05"), decide("2024-02-06", annual.RowUnavailableStillUnclear))
	refused(t, "未要求说明理由即不予处理", DefaultSettings, []Event{reg}, decide("2024-02-05", annual.RowNotProcessedExcessive), errs.Conflict, "说明理由")
	reasons := Event{Kind: ReasonsRequested, On: d("2024-02-02"), Role: org.RoleHandler}.WithService(DefaultSettings)
	replay(t, DefaultSettings, reg, reasons, decide("2024-02-20", annual.RowNotProcessedExcessive))
	refused(t, "两次要求说明理由", DefaultSettings, []Event{reg, reasons}, reasons, errs.Conflict, "已要求")
	// Sub-kinds of 第三十六条: (一) needs the published item; none where the
	// outcome has no such case.
	refused(t, "已主动公开未选信息", DefaultSettings, []Event{reg}, Event{Kind: Decided, On: d("2024-02-05"), Outcome: annual.RowDisclosed, SubKind: SubAlreadyPublished},
		errs.Invalid, "已公开的信息")
	refused(t, "情形不符", DefaultSettings, []Event{reg}, Event{Kind: Decided, On: d("2024-02-05"), Outcome: annual.RowWithheldStateSecret, SubKind: SubNotThisAgency},
		errs.Invalid, "没有")
	s := replay(t, DefaultSettings, reg, Event{Kind: Decided, On: d("2024-02-05"), Outcome: annual.RowDisclosed, SubKind: SubAlreadyPublished, ItemID: 7})
	if s.Outcome != annual.RowDisclosed || s.SubKind != SubAlreadyPublished || s.NeedsReview {
		t.Errorf("already published: %+v", s)
	}
	s = replay(t, DefaultSettings, reg, Event{Kind: Decided, On: d("2024-02-05"), Outcome: annual.RowUnavailableNotHeld, SubKind: SubNotThisAgency, PartyName: "福建省商务厅"})
	if s.Outcome != annual.RowUnavailableNotHeld || s.SubKind != SubNotThisAgency {
		t.Errorf("not this agency's: %+v", s)
	}
}

// 第三十五条: reasons accepted → a later, reasonable answer date, set with
// the office head's approval within the period and told to the applicant.
//
//	Received Fri 2024-03-01, due Fri 03-29 (TestRefused).
func TestReasonsAccepted(t *testing.T) {
	reg := ev(Registered, "2024-03-01")
	reasons := Event{Kind: ReasonsRequested, On: d("2024-03-04")}.WithService(DefaultSettings)
	accept := func(on, until string, role org.Role) Event {
		return Event{Kind: ReasonsAccepted, On: d(on), Role: role, Until: d(until)}
	}
	s := replay(t, DefaultSettings, reg, reasons, accept("2024-03-20", "2024-05-10", org.RoleOfficeHead))
	r, err := s.Deadline(calendar.Default(), d("2024-03-20"))
	if err != nil || r.Due != d("2024-05-10") || !strings.Contains(r.Explain(), "第三十五条") {
		t.Fatalf("later due %s %v\n%s", r.Due, err, r.Explain())
	}
	for _, tc := range []struct {
		name   string
		before []Event
		bad    Event
		code   errs.Code
		msg    string
	}{
		{"未要求说明理由", []Event{reg}, accept("2024-03-20", "2024-05-10", org.RoleOfficeHead), errs.Conflict, "须先要求"},
		{"承办人决定", []Event{reg, reasons}, accept("2024-03-20", "2024-05-10", org.RoleHandler), errs.Forbidden, "负责人"},
		{"不晚于原期限", []Event{reg, reasons}, accept("2024-03-20", "2024-03-29", org.RoleOfficeHead), errs.Invalid, "2024-03-29"},
		{"期满后确定", []Event{reg, reasons}, accept("2024-04-01", "2024-05-10", org.RoleOfficeHead), errs.Conflict, "届满"},
		{"不合理的期限", []Event{reg, reasons}, accept("2024-03-20", "2025-05-10", org.RoleOfficeHead), errs.Invalid, "一年"},
	} {
		refused(t, tc.name, DefaultSettings, tc.before, tc.bad, tc.code, tc.msg)
	}
}

// An extension granted before a 补正 (the statute is silent): by default it
// does not survive the restarted period; with the setting it does, and it
// counts against the 20-day cap.
//
//	Received Thu 2024-02-01; extended by 10 on 02-02; 补正 asked 02-08,
//	corrected Tue 02-20. Restarted period: 20 working days → 03-19
//	(TestDeadlines); with the 10 days kept: 03-20…03-22 #21–#23,
//	03-25…03-29 #24–#28, 04-01, 04-02 #29–#30 → 04-02.
func TestExtensionBeforeCorrection(t *testing.T) {
	evs := []Event{ev(Registered, "2024-02-01"), {Kind: Extended, On: d("2024-02-02"), Role: org.RoleOfficeHead, Days: 10},
		{Kind: CorrectionRequested, On: d("2024-02-08"), Note: "文号"}, ev(Corrected, "2024-02-20")}
	keep := DefaultSettings
	keep.ExtensionSurvivesCorrection = true
	for _, tc := range []struct {
		set  Settings
		due  string
		days int
	}{{DefaultSettings, "2024-03-19", 0}, {keep, "2024-04-02", 10}} {
		s := replay(t, tc.set, evs...)
		r, err := s.Deadline(calendar.Default(), d("2024-02-20"))
		if err != nil || r.Due != d(tc.due) || s.ExtensionDays != tc.days {
			t.Errorf("survives=%v: due %s extension %d, want %s %d", tc.set.ExtensionSurvivesCorrection, r.Due, s.ExtensionDays, tc.due, tc.days)
		}
	}
	// By default a new extension of up to 20 days is possible in the new
	// period; with the setting the 10 days already granted count.
	more := Event{Kind: Extended, On: d("2024-03-01"), Role: org.RoleOfficeHead, Days: 20}
	replay(t, DefaultSettings, append(evs, more)...)
	refused(t, "保留的延期计入上限", keep, evs, more, errs.Invalid, "已延长10")
}

// Rules that bind a new step but not the history it joins.
func TestCheckNewStep(t *testing.T) {
	for _, tc := range []struct {
		e   Event
		msg string
	}{
		{Event{Kind: CorrectionRequested, Note: " "}, "补正的事项"},
		{Event{Kind: CorrectionRequested, Note: "文号"}, ""},
		{Event{Kind: Answered, Note: "予以公开。如不服，可在60日内申请行政复议，或在6个月内提起行政诉讼。"}, "救济途径"},
		{Event{Kind: Answered, Note: "详见附件。"}, ""},
		{Event{Kind: Decided}, ""},
	} {
		err := CheckNewStep(tc.e)
		if tc.msg == "" && err != nil || tc.msg != "" && (!errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), tc.msg)) {
			t.Errorf("%s %q: %v", tc.e.Kind, tc.e.Note, err)
		}
	}
}

// A handler asks the office head for an extension; the head extends or
// declines; the request never moves the clock.
func TestExtensionRequest(t *testing.T) {
	reg := ev(Registered, "2024-03-01")
	ask := Event{Kind: ExtensionRequested, On: d("2024-03-20"), Role: org.RoleHandler, Days: 10, Note: "需调取档案"}
	s := replay(t, DefaultSettings, reg, ask)
	if s.ExtensionAsked != d("2024-03-20") || s.ExtensionAskedDays != 10 || s.ExtensionDays != 0 {
		t.Fatalf("asked: %+v", s)
	}
	before := replay(t, DefaultSettings, reg)
	if a, b := due(t, s, "2024-03-20"), due(t, before, "2024-03-20"); a != b {
		t.Errorf("the request moved the due date: %s → %s", b, a)
	}
	s = replay(t, DefaultSettings, reg, ask, Event{Kind: Extended, On: d("2024-03-21"), Role: org.RoleOfficeHead, Days: 10})
	if !s.ExtensionAsked.IsZero() || s.ExtensionDays != 10 {
		t.Errorf("extended: %+v", s)
	}
	s = replay(t, DefaultSettings, reg, ask, Event{Kind: ExtensionRefused, On: d("2024-03-21"), Role: org.RoleOfficeHead, Note: "期限内可以答复"})
	if !s.ExtensionAsked.IsZero() || s.ExtensionDays != 0 {
		t.Errorf("refused: %+v", s)
	}
	refused(t, "未写理由", DefaultSettings, []Event{reg}, Event{Kind: ExtensionRequested, On: d("2024-03-20"), Role: org.RoleHandler, Days: 10}, errs.Invalid, "理由")
	refused(t, "重复提请", DefaultSettings, []Event{reg, ask}, ask, errs.Conflict, "等待公开办负责人决定")
	refused(t, "期满后提请", DefaultSettings, []Event{reg}, Event{Kind: ExtensionRequested, On: d("2024-04-01"), Role: org.RoleHandler, Days: 5, Note: "x"}, errs.Conflict, "届满")
	refused(t, "超过20日", DefaultSettings, []Event{reg}, Event{Kind: ExtensionRequested, On: d("2024-03-20"), Role: org.RoleHandler, Days: 21, Note: "x"}, errs.Invalid, "20个工作日")
	refused(t, "无申请而拒绝", DefaultSettings, []Event{reg}, Event{Kind: ExtensionRefused, On: d("2024-03-20"), Role: org.RoleOfficeHead}, errs.Conflict, "没有待决定")
	refused(t, "承办人拒绝", DefaultSettings, []Event{reg, ask}, Event{Kind: ExtensionRefused, On: d("2024-03-21"), Role: org.RoleHandler}, errs.Forbidden, "延长答复期限")
	if ActionOf(ask) != org.ActRequestHandle || MovesClock(ExtensionRequested) || MovesClock(ExtensionRefused) {
		t.Error("the request is the handler's and moves no date")
	}
}

func due(t *testing.T, s State, on string) calendar.Date {
	t.Helper()
	r, err := s.Deadline(calendar.Default(), d(on))
	if err != nil {
		t.Fatal(err)
	}
	return r.Due
}
