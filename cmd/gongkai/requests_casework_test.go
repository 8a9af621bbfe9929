package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/demo"
	"gongkai/internal/publish"
	"gongkai/internal/requests"
)

// stepper posts steps on an application's page as a user does.
type stepper struct {
	t  *testing.T
	b  *browser
	id string
}

func (s stepper) page() string {
	s.t.Helper()
	_, p := s.b.get("/admin/requests/" + s.id)
	return p
}

// step posts one step's form with its fields; it returns the status and
// the page that follows.
func (s stepper) step(kind string, fields url.Values) (int, string) {
	s.t.Helper()
	p := s.page()
	if !strings.Contains(p, `name="kind" value="`+kind+`"`) {
		s.t.Fatalf("the page does not offer %s: %.3000s", kind, p)
	}
	v := url.Values{"csrf": {csrfOf(s.t, p)}, "kind": {kind}, "on": {today().String()}}
	for k, x := range fields {
		v[k] = x
	}
	return s.b.post("/admin/requests/"+s.id+"/events", v)
}

func (s stepper) ok(kind string, fields url.Values, want ...string) string {
	s.t.Helper()
	code, p := s.step(kind, fields)
	if code != http.StatusOK || !strings.Contains(p, "已记录："+requests.Kind(kind).Label()) {
		s.t.Fatalf("%s: %d %.3000s", kind, code, p)
	}
	for _, w := range want {
		if !strings.Contains(p, w) {
			s.t.Errorf("after %s the page lacks %q", kind, w)
		}
	}
	return p
}

// The casework through the pages: a consultation by registered mail (its
// day of receipt defaulted, then the return receipt), the third party's
// objection, disclosure in the public interest with legal review and the
// third party's letter; reasons asked and a later answer date set by the
// office head; a fee per page; an answer pointing to a published item.
// Every document carries its 文书编号.
func TestCaseworkThroughThePages(t *testing.T) {
	w := newCitizenWorld(t)
	login := func(name string) *browser {
		b := newBrowser(t, w.app.URL)
		if code, _ := b.login(name, demo.Password); code != 200 {
			t.Fatalf("login %s", name)
		}
		return b
	}
	h, hd, lg := login("handler"), login("head"), login("legal")
	app, _ := w.apply(workdaysAgo(3))
	id := strconv.FormatInt(app.ID, 10)
	hs, heads, legal := stepper{t, h, id}, stepper{t, hd, id}, stepper{t, lg, id}

	// Consultation by registered mail, received by default three days later.
	p := hs.ok("consult_started", url.Values{"party": {"third_party"}, "party_name": {"福州某贸易有限公司"}, "sent_by": {"registered"}, "note": {"涉及贵公司的进口报关信息"}},
		"征求第三方意见（福州某贸易有限公司），邮寄（需签收），对方收到日期 "+today().AddDays(3).String(), "已生成政府信息公开征求意见书")
	if !regexp.MustCompile(`答复期限至 <strong id="consult-limit">\d{4}-\d\d-\d\d</strong>`).MatchString(p) {
		t.Errorf("the consultation's limit is not shown")
	}
	// A reply of 期满未答复 is not offered before the limit.
	if strings.Contains(p, `value="none"`) {
		t.Error("期满未答复 offered before the limit")
	}
	hs.ok("consult_served", url.Values{"on": {today().String()}}, "征求意见书于 "+today().String()+" 送达")
	if code, p := hs.step("consult_ended", url.Values{"reply": {"objected"}}); code != http.StatusUnprocessableEntity || !strings.Contains(p, `id="e-f-consult_ended-note"`) {
		t.Fatalf("objection without its reasons: %d %.2000s", code, p)
	}
	hs.ok("consult_ended", url.Values{"reply": {"objected"}, "note": {"涉及本公司商业秘密"}}, "答复：不同意公开")
	// Disclosure against the objection: refused without the public interest,
	// then decided with it and its reason.
	if code, p := hs.step("decided", url.Values{"outcome": {"disclosed"}}); code != http.StatusUnprocessableEntity || !strings.Contains(p, "公共利益") {
		t.Fatalf("disclosure against the objection: %d %.2000s", code, p)
	}
	hs.ok("decided", url.Values{"outcome": {"disclosed"}, "public_interest": {"1"}, "note": {"该信息关系进口食品安全，不公开会对公共利益造成重大影响"}},
		"因不公开会对公共利益造成重大影响决定公开")
	if strings.Contains(hs.page(), `value="answered"`) {
		t.Fatal("answered before the legal review")
	}
	legal.ok("legal_reviewed", url.Values{"approved": {"1"}})
	p = hs.ok("answered", url.Values{"note": {"所申请的报关信息见附件。"}}, "已生成政府信息公开决定告知书")
	for _, want := range []string{"政府信息公开征求意见书（福州关依征〔", "政府信息公开申请答复书（福州关依复〔", "政府信息公开决定告知书（福州关依告〔"} {
		if !strings.Contains(p, want) {
			t.Errorf("documents lack %q", want)
		}
	}
	// The answer note may not repeat the remedy notice.
	app2, _ := w.apply(workdaysAgo(2))
	s2 := stepper{t, h, strconv.FormatInt(app2.ID, 10)}
	s2.ok("decided", url.Values{"outcome": {"disclosed"}})
	if code, p := s2.step("answered", url.Values{"note": {"予以公开。如不服，可在60日内申请行政复议，或在6个月内提起行政诉讼。"}}); code != http.StatusUnprocessableEntity || !strings.Contains(p, "救济途径") {
		t.Fatalf("a remedy in the note: %d %.2000s", code, p)
	}

	// 第三十五条: reasons asked; the office head sets a later date.
	app3, _ := w.apply(workdaysAgo(4))
	s3, h3 := stepper{t, h, strconv.FormatInt(app3.ID, 10)}, stepper{t, hd, strconv.FormatInt(app3.ID, 10)}
	s3.ok("reasons_requested", url.Values{"sent_by": {"email"}, "note": {"请说明申请上述信息的用途"}}, "已生成说明理由通知书")
	if code, p := h3.step("reasons_accepted", url.Values{"until": {today().String()}}); code != http.StatusUnprocessableEntity || !strings.Contains(p, `id="e-f-reasons_accepted-until"`) {
		t.Fatalf("a later date not later: %d %.2000s", code, p)
	}
	later := today().AddDays(60).String()
	h3.ok("reasons_accepted", url.Values{"until": {later}, "note": {"所需信息量大"}}, "延迟至 "+later+" 答复", "已生成延迟答复告知书", "答复期限："+later)
	// And the head refuses a handler's request for an extension.
	s3.ok("extension_requested", url.Values{"days": {"10"}, "note": {"需调取档案"}})
	h3.ok("extension_refused", url.Values{"note": {"可在期限内答复"}})

	// A fee per page, sent by post: the notice is per page.
	app4, _ := w.apply(workdaysAgo(2))
	s4 := stepper{t, h, strconv.FormatInt(app4.ID, 10)}
	s4.ok("fee_noticed", url.Values{"fee_basis": {"per_page"}, "pages": {"120"}, "sent_by": {"registered"}}, "收费1100元", "已生成信息处理费收费通知书")
	docs, _ := w.db.RequestLetterFiles(context.Background(), app4.ID)
	if len(docs) != 2 || docs[0].Kind != requests.NoticeFee || !strings.HasPrefix(docs[0].DocNo, "福州关依费〔") {
		t.Fatalf("fee notice %+v", docs)
	}

	// 第三十六条第（一）项: the answer points to a published item, which must
	// be live.
	items, err := w.db.Public().List(context.Background(), publish.ListQuery{UnitID: w.unit.ID, PerPage: 1})
	if err != nil || len(items.Items) == 0 {
		t.Fatalf("no published item: %v", err)
	}
	app5, _ := w.apply(workdaysAgo(2))
	s5 := stepper{t, h, strconv.FormatInt(app5.ID, 10)}
	if code, p := s5.step("decided", url.Values{"outcome": {"disclosed"}, "sub_kind": {requests.SubAlreadyPublished}, "item": {"999999"}}); code != http.StatusUnprocessableEntity || !strings.Contains(p, `id="e-f-decided-item"`) {
		t.Fatalf("an item not published: %d %.2000s", code, p)
	}
	item := strconv.FormatInt(items.Items[0].ID, 10)
	s5.ok("decided", url.Values{"outcome": {"disclosed"}, "sub_kind": {requests.SubAlreadyPublished}, "item": {"/items/" + item}}, "予以公开（已主动公开）", "/items/"+item)
	s5.ok("answered", url.Values{"note": {""}})
	l, _, err := w.db.RequestAnswerLetter(context.Background(), app5.ID, "")
	if err != nil || !strings.Contains(l.Text(), items.Items[0].Title) || !strings.Contains(l.Text(), "/items/"+item) || !strings.Contains(l.Text(), "第三十六条第（一）项") {
		t.Fatalf("the letter for an item already published: %v\n%s", err, l.Text())
	}
	_ = heads
}
