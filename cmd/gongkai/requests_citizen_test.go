package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/demo"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// citizenWorld is a running demo app and its database, with helpers to
// put an application in a given state the way staff would.
type citizenWorld struct {
	t       *testing.T
	app     *App
	db      *store.DB
	unit    org.Unit
	handler org.User
	n       int
}

func newCitizenWorld(t *testing.T) *citizenWorld {
	t.Helper()
	dsn := storetest.DSN(t, store.SQLite)
	app := startApp(t, dsn)
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	unit, err := db.UnitByCode(ctx, "fuzhou")
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.UserByUsername(ctx, "handler")
	if err != nil {
		t.Fatal(err)
	}
	return &citizenWorld{t: t, app: app, db: db, unit: unit, handler: h}
}

// apply stores an application received on received, handled by the demo
// handler, with steps; it returns the receipt number and query code.
func (w *citizenWorld) apply(received calendar.Date, steps ...requests.Event) (store.RequestApp, string) {
	w.t.Helper()
	w.n++
	ctx := context.Background()
	a := requests.Application{Channel: requests.ChannelInPerson, ApplicantType: requests.NaturalPerson, Name: "王小红", IDNumber: "11010519491231002X",
		Phone: "13800000000", Description: "福州海关2024年行政处罚决定书目录", Form: "电子文档", Delivery: "网上获取", ReceivedOn: received, AssignTo: w.handler.ID}
	who := audit.Actor{UserID: w.handler.ID, Name: w.handler.Username, UnitID: w.unit.ID}
	app, code, _, err := w.db.SubmitApplication(ctx, who, w.unit.ID, "tok-citizen-"+strconv.Itoa(w.n)+"-0123456789abcdef", a)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, e := range steps {
		actor := who
		if e.Role == org.RoleLegal || e.Role == org.RoleOfficeHead {
			actor = audit.System("test")
		}
		if _, err := w.db.AppendRequestEvent(ctx, actor, app.ID, e); err != nil {
			w.t.Fatalf("%s: %v", e.Kind, err)
		}
		for _, k := range requests.NoticesFor(e, mustState(w.t, w.db, app.ID)) {
			if _, err := w.db.SaveRequestNotice(ctx, who, app.ID, k); err != nil {
				w.t.Fatalf("%s: %v", k, err)
			}
		}
	}
	return app, code
}

func mustState(t *testing.T, db *store.DB, id int64) requests.State {
	t.Helper()
	st, err := db.RequestState(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func today() calendar.Date {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return calendar.Today(loc)
}

func workdaysAgo(n int) calendar.Date {
	cal := calendar.Default()
	d := today()
	for k := 0; k < n; {
		d = d.AddDays(-1)
		if ok, _ := cal.IsWorkday(d); ok {
			k++
		}
	}
	return d
}

func (w *citizenWorld) status(b *browser, receipt, code string) (int, string) {
	w.t.Helper()
	_, f := b.get("/column/apply/status")
	return b.post("/column/apply/status", url.Values{"csrf": {csrfOf(w.t, f)}, "receipt_no": {receipt}, "code": {code}})
}

// TestCitizenSteps: the receipt states the due date and is kept as a PDF;
// the applicant corrects online (text and file), as the same step staff
// record, dated the day it is sent; a correction twice, after the period or
// after the abandonment is refused with the reason and how else to send it;
// the applicant downloads his notices but never the third party's letter.
func TestCitizenSteps(t *testing.T) {
	w := newCitizenWorld(t)
	ctx := context.Background()
	if err := w.db.SetRequestOffice(ctx, audit.System("test"), w.unit.ID, requests.Office{Address: "福建省福州市江滨东大道76号", Phone: "（0591）87081207"}); err != nil {
		t.Fatal(err)
	}
	citizen := newBrowser(t, w.app.URL)
	// The receipt: the due date, the PDF to keep.
	_, form := citizen.get("/column/apply")
	fields := url.Values{"csrf": {csrfOf(t, form)}, "token": {tokenRE.FindStringSubmatch(form)[1]}, "applicant_type": {"natural_person"}, "name": {"王小红"},
		"id_number": {"11010519491231002X"}, "phone": {"13800000000"}, "description": {"请公开2025年福州海关行政处罚决定书目录"}, "form": {"电子文档"}, "delivery": {"网上获取"}}
	code, page := citizen.post("/column/apply", fields)
	due := regexp.MustCompile(`id="due-on"><strong>(\d{4}-\d\d-\d\d)</strong>`).FindStringSubmatch(page)
	if code != 200 || due == nil || !strings.Contains(page, "保存回执（PDF）") {
		t.Fatalf("receipt: %d %.2000s", code, page)
	}
	receipt, qcode := receiptRE.FindStringSubmatch(page)[1], codeRE.FindStringSubmatch(page)[1]
	code, pdf := citizen.post("/column/apply/receipt", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {receipt}, "code": {qcode}})
	if code != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("receipt PDF: %d", code)
	}
	if text := pdfTextOf(t, []byte(pdf)); text != "" && (!strings.Contains(text, receipt) || !strings.Contains(text, qcode) || !strings.Contains(text, "受理回执")) {
		t.Errorf("receipt PDF text: %s", text)
	}
	if code, _ := citizen.post("/column/apply/receipt", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {receipt}, "code": {"WRONGCODE234"}}); code != http.StatusNotFound {
		t.Errorf("receipt with a wrong code: %d", code)
	}

	// A 补正 asked three working days ago: the form is there.
	asked := workdaysAgo(3)
	app, acode := w.apply(workdaysAgo(5), requests.Event{Kind: requests.CorrectionRequested, On: asked, Note: "请写明决定书的文号"})
	_, page = w.status(citizen, app.ReceiptNo, acode)
	if !strings.Contains(page, `id="correction-items">请写明决定书的文号<`) || !strings.Contains(page, `id="correct-form"`) ||
		!strings.Contains(page, "邮寄或送达福建省福州市江滨东大道76号") || !strings.Contains(page, "下载补正申请告知书") {
		t.Fatalf("status with a 补正: %.3000s", page)
	}
	correct := func(text string, files map[string][]byte) (int, string) {
		t.Helper()
		return citizen.postFiles("/column/apply/correct", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {app.ReceiptNo}, "code": {acode}, "text": {text}}, "attachments", files)
	}
	if code, p := correct(" ", nil); code != http.StatusUnprocessableEntity || !strings.Contains(p, `<p class="field-error" id="e-text">请写明补正的内容`) {
		t.Fatalf("empty correction: %d %.2000s", code, p)
	}
	code, page = correct("文号为福关缉违字〔2024〕1号", map[string][]byte{"补正说明.pdf": []byte("%PDF-1.4 " + strings.Repeat("x", 300))})
	if code != 200 || !strings.Contains(page, "已收到您的补正（"+today().String()+"）") || !strings.Contains(page, `id="status">办理中`) || strings.Contains(page, `id="correct-form"`) {
		t.Fatalf("correction: %d %.3000s", code, page)
	}
	st := mustState(t, w.db, app.ID)
	if !st.Corrected || st.CorrectedOn != today() || st.ClockFrom != today() {
		t.Fatalf("state after the online correction: %+v", st)
	}
	h := newBrowser(t, w.app.URL)
	h.login("handler", demo.Password)
	_, hv := h.get("/admin/requests/" + strconv.FormatInt(app.ID, 10))
	if !strings.Contains(hv, "申请人在线补正：文号为福关缉违字〔2024〕1号") || !strings.Contains(hv, "补正说明.pdf") || !strings.Contains(hv, "<td>公众</td>") {
		t.Fatalf("the handler's view of the correction: %.4000s", hv)
	}
	if _, list := h.get("/admin/requests"); !strings.Contains(list, "在线补正 "+app.ReceiptNo) {
		t.Errorf("the handler is not told of the correction")
	}
	// Twice: refused with the reason.
	if code, p := correct("再补充", nil); code != http.StatusUnprocessableEntity || !strings.Contains(p, "已于"+today().String()+"收到您的补正") {
		t.Fatalf("twice: %d %.2000s", code, p)
	}

	// After the period (asked 25 working days ago, 15 given), and after the
	// abandonment.
	late, lcode := w.apply(workdaysAgo(27), requests.Event{Kind: requests.CorrectionRequested, On: workdaysAgo(25), Note: "请写明文号"})
	_, page = w.status(citizen, late.ReceiptNo, lcode)
	if !strings.Contains(page, `id="correction-refused">补正期限已于`) || strings.Contains(page, `id="correct-form"`) || !strings.Contains(page, "致电（0591）87081207联系") {
		t.Fatalf("status after the period: %.3000s", page)
	}
	if code, p := citizen.postFiles("/column/apply/correct", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {late.ReceiptNo}, "code": {lcode}, "text": {"文号"}}, "attachments", nil); code != http.StatusUnprocessableEntity || !strings.Contains(p, "不能在线提交补正") {
		t.Fatalf("correction after the period: %d %.2000s", code, p)
	}
	if _, err := w.db.AppendRequestEvent(ctx, audit.System("test"), late.ID, requests.Event{Kind: requests.CorrectionAbandoned, On: today()}); err != nil {
		t.Fatal(err)
	}
	if code, p := citizen.postFiles("/column/apply/correct", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {late.ReceiptNo}, "code": {lcode}, "text": {"文号"}}, "attachments", nil); code != http.StatusUnprocessableEntity || !strings.Contains(p, "视为放弃") {
		t.Fatalf("correction after the abandonment: %d %.2000s", code, p)
	}

	// Disclosed against the third party's objection: the applicant has his
	// answer letter, never the third party's letter nor the consultation.
	rec := workdaysAgo(12)
	tp, tcode := w.apply(rec,
		requests.Event{Kind: requests.ConsultStarted, On: workdaysAgo(11), PartyName: "福州某贸易有限公司"},
		requests.Event{Kind: requests.ConsultEnded, On: workdaysAgo(5), Reply: requests.ReplyObjected, Note: "涉及商业秘密"},
		requests.Event{Kind: requests.Decided, On: workdaysAgo(4), Outcome: annual.RowDisclosed, PublicInterest: true, Note: "关系进口食品安全，不公开会对公共利益造成重大影响"},
		requests.Event{Kind: requests.LegalReviewed, On: workdaysAgo(3), Role: org.RoleLegal, Approved: true},
		requests.Event{Kind: requests.Answered, On: workdaysAgo(2), Note: "所申请信息见附件。"})
	docs, _ := w.db.RequestLetterFiles(ctx, tp.ID)
	var thirdParty, consult int64
	for _, d := range docs {
		switch d.Kind {
		case requests.NoticeThirdParty:
			thirdParty = d.ID
		case requests.NoticeConsult:
			consult = d.ID
		}
	}
	if thirdParty == 0 || consult == 0 {
		t.Fatalf("documents %+v", docs)
	}
	_, page = w.status(citizen, tp.ReceiptNo, tcode)
	if strings.Contains(page, "政府信息公开决定告知书") || strings.Contains(page, "征求意见书") || !strings.Contains(page, "下载答复书（PDF）") {
		t.Fatalf("status lists a document not the applicant's: %.3000s", page)
	}
	for _, id := range []int64{thirdParty, consult} {
		if code, _ := citizen.post("/column/apply/letter", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {tp.ReceiptNo}, "code": {tcode}, "doc": {strconv.FormatInt(id, 10)}}); code != http.StatusNotFound {
			t.Errorf("the applicant fetched document %d: %d", id, code)
		}
	}
}

// pdfTextOf extracts a PDF's text with poppler when it is installed ("" when not, outside CI).
func pdfTextOf(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is not installed (poppler-utils; .ci/run installs it)")
		}
		return ""
	}
	p := filepath.Join(t.TempDir(), "x.pdf")
	os.WriteFile(p, pdf, 0o644)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// TestBrowserOnlineCorrection: the applicant corrects online in a real
// browser — the status page, the text and a file, the answer period
// restarting — and the handler sees it.
func TestBrowserOnlineCorrection(t *testing.T) {
	ctx := newChrome(t)
	w := newCitizenWorld(t)
	app, code := w.apply(workdaysAgo(4), requests.Event{Kind: requests.CorrectionRequested, On: workdaysAgo(2), Note: "请写明所需决定书的文号"})
	file := filepath.Join(t.TempDir(), "补正材料.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4 补正材料"), 0o600); err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(w.app.URL+"/column/apply/status"),
		chromedp.WaitVisible(`#f-code`),
		chromedp.SendKeys(`#f-receipt_no`, app.ReceiptNo),
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Click(`form[action="/column/apply/status"] button[type=submit]`),
		chromedp.WaitVisible(`#correct-form`),
	)
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	items := text(`#correction-items`)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#f-text`, "所需决定书文号为福关缉违字〔2024〕1号"),
		chromedp.SetUploadFiles(`#f-attachments`, []string{file}),
		chromedp.Click(`#correct-form button[type=submit]`),
		chromedp.WaitVisible(`#done`),
	)
	if err != nil {
		t.Fatalf("online correction: %v", err)
	}
	done, status := text(`#done`), text(`#status`)
	if items != "请写明所需决定书的文号" || !strings.Contains(done, "已收到您的补正") || status != "办理中" {
		t.Fatalf("items %q done %q status %q", items, done, status)
	}
	err = chromedp.Do(ctx,
		chromeLogin(w.app.URL, "handler"),
		chromedp.Navigate(w.app.URL+"/admin/requests/"+strconv.FormatInt(app.ID, 10)),
		chromedp.WaitVisible(`#status`),
	)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	body := text(`main`)
	if !strings.Contains(body, "收到补正") || !strings.Contains(body, "福关缉违字〔2024〕1号") || !strings.Contains(body, "补正材料.pdf") {
		t.Fatalf("the handler's page: %.3000s", body)
	}
}
