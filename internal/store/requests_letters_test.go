package store_test

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestRequestLetters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		key := string(annual.RowDisclosed)
		text, custom, err := db.RequestLetterText(ctx, fz.ID, key)
		if err != nil || custom || text != requests.DefaultLetterTexts[key] {
			t.Fatalf("default text: %v %v", custom, err)
		}
		// A text without a legal basis, or with an unknown placeholder, is refused.
		for _, bad := range []string{"{申请人}：同意公开。", "{申请人}：依条例第三十六条，{理由}"} {
			if err := db.SetRequestLetterText(ctx, admin, fz.ID, key, bad); !errs.Is(err, errs.Invalid) {
				t.Fatalf("%q accepted: %v", bad, err)
			}
		}
		if err := db.SetRequestLetterText(ctx, admin, fz.ID, "no_such_row", "依条例第三十六条"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("unknown key: %v", err)
		}
		own := "{申请人}：\n经审查，您于{收到日期}申请的信息（{编号}）予以公开，依据《中华人民共和国政府信息公开条例》第三十六条第（二）项。福州海关关务公开专用。{说明}"
		if err := db.SetRequestLetterText(ctx, admin, fz.ID, key, own); err != nil {
			t.Fatal(err)
		}
		if text, custom, _ := db.RequestLetterText(ctx, fz.ID, key); !custom || text != own {
			t.Fatal("unit text not kept")
		}
		// Per unit: 马尾海关 keeps the default.
		if _, custom, _ := db.RequestLetterText(ctx, mw.ID, key); custom {
			t.Fatal("another unit's text leaked")
		}

		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-letters-0123456789", sampleApplication(t, "2024-09-27"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.RequestAnswerLetter(ctx, app.ID, ""); !errs.Is(err, errs.Conflict) {
			t.Fatalf("letter before a decision: %v", err)
		}
		handler := actorOf(mustUser(t, db, fz.ID, "handler", "password-123", org.RoleHandler, org.RoleOfficeHead, org.RoleLegal))
		for _, e := range []requests.Event{
			{Kind: requests.Decided, On: day(t, "2024-10-08"), Outcome: annual.RowDisclosed},
			{Kind: requests.Answered, On: day(t, "2024-10-09")},
		} {
			if _, err := db.AppendRequestEvent(ctx, handler, app.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		l, _, err := db.RequestAnswerLetter(ctx, app.ID, "所申请信息见附件。")
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(l.Paragraphs, "")
		for _, want := range []string{"2024年9月27日", app.ReceiptNo, "关务公开专用", "所申请信息见附件。", "行政复议"} {
			if !strings.Contains(all, want) {
				t.Errorf("letter lacks %q: %s", want, all)
			}
		}
		if l.Addressee != "张三" || l.Agency != "福州海关" || l.Date != day(t, "2024-10-09") || l.FullTitle() != "福州海关政府信息公开申请答复书" {
			t.Errorf("letter %+v", l)
		}
		docx, err := l.DOCX()
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := l.PDF(requests.PDFFonts{})
		if err != nil {
			t.Fatal(err)
		}
		if len(docx) == 0 || !strings.HasPrefix(string(pdf), "%PDF-") {
			t.Fatal("no documents")
		}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
			cmd.Stdin = strings.NewReader(string(pdf))
			out, err := cmd.Output()
			if err != nil || !strings.Contains(strings.Join(strings.Fields(string(out)), ""), "关务公开专用") {
				t.Fatalf("PDF text: %v\n%s", err, out)
			}
		}
		// Kept with the application, each with its hash.
		files, err := db.SaveRequestAnswerLetter(ctx, handler, app.ID, "所申请信息见附件。")
		if err != nil || len(files) != 2 || files[0].DocNo != "福州关依复〔2024〕1号" || files[1].DocNo != files[0].DocNo {
			t.Fatalf("save: %+v %v", files, err)
		}
		list, err := db.RequestLetterFiles(ctx, app.ID)
		if err != nil || len(list) != 2 || list[0].Format != "pdf" {
			t.Fatalf("list %+v %v", list, err)
		}
		got, err := db.RequestLetterFileContent(ctx, handler, app.ID, list[0].ID)
		// fpdf's font subsetting is not byte-for-byte reproducible from one
		// generation to the next, so the stored file is checked against its
		// own recorded hash and against the files the save returned.
		if err != nil || !strings.HasPrefix(string(got.Content), "%PDF-") || got.SHA256 != requests.ContentHash(got.Content) ||
			(got.SHA256 != files[0].SHA256 && got.SHA256 != files[1].SHA256) {
			t.Fatalf("stored PDF differs from the one saved: %v", err)
		}
		if _, err := db.RequestLetterFileContent(ctx, handler, app.ID+1, list[0].ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("letter of another application: %v", err)
		}
		// Tampering with the content is detected.
		if _, err := db.SQL().ExecContext(ctx, rebind(db, "UPDATE req_letters SET content = ? WHERE id = ?"), []byte("x"), list[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RequestLetterFileContent(ctx, handler, app.ID, list[0].ID); !errs.Is(err, errs.Internal) {
			t.Fatalf("tampered letter: %v", err)
		}
		// Saving the letter is audited, and so is each reading of it (it
		// carries the applicant's name and address).
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 3})
		if len(es) != 3 || es[0].Action != "request.view_letter" || es[1].Action != "request.view_letter" || es[2].Action != "request.letter" {
			t.Fatalf("audit %+v", es)
		}
		// A missing font is a clear error naming the setting.
		if err := db.SetSetting(ctx, admin, "requests.pdf_font", "/nonexistent/font.ttf"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveRequestAnswerLetter(ctx, handler, app.ID, ""); err == nil || !strings.Contains(errs.MessageOf(err), "requests.pdf_font") {
			t.Fatalf("missing font: %v", err)
		}
		if n := countRows(t, db, "SELECT count(*) FROM req_letters"); n != 2 {
			t.Fatalf("a failed letter left %d documents", n)
		}

		s, err := db.RequestSMTP(ctx)
		if err != nil || s.Configured() || s.Port != 25 {
			t.Fatalf("default SMTP %+v %v", s, err)
		}
		db.SetSetting(ctx, admin, "requests.smtp_host", "127.0.0.1")
		db.SetSetting(ctx, admin, "requests.smtp_from", "gongkai@example.org")
		db.SetSetting(ctx, admin, "requests.smtp_port", "2525")
		if s, err := db.RequestSMTP(ctx); err != nil || !s.Configured() || s.Port != 2525 {
			t.Fatalf("SMTP %+v %v", s, err)
		}
		db.SetSetting(ctx, admin, "requests.smtp_port", "x")
		if _, err := db.RequestSMTP(ctx); !errs.Is(err, errs.Invalid) {
			t.Fatalf("bad port: %v", err)
		}
	})
}

func countRows(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(ctx, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rebind turns ? placeholders into $n for PostgreSQL.
func rebind(db *store.DB, q string) string {
	if db.Dialect() != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// The notices of 补正 and extension are written from the events as of the
// day they were sent — the due dates the law gives then — and kept beside
// the answer letter, each kind apart.
func TestRequestNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-notice-0123456789", sampleApplication(t, "2024-09-27"))
		if err != nil {
			t.Fatal(err)
		}
		handler := actorOf(mustUser(t, db, fz.ID, "handler", "password-123", org.RoleHandler, org.RoleOfficeHead, org.RoleLegal))
		if _, err := db.SaveRequestNotice(ctx, handler, app.ID, requests.NoticeExtension); !errs.Is(err, errs.Conflict) {
			t.Fatalf("notice without its event: %v", err)
		}
		// A 补正 must say what to correct (第三十条).
		if _, err := db.AppendRequestEvent(ctx, handler, app.ID, requests.Event{Kind: requests.CorrectionRequested, On: day(t, "2024-10-08")}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("补正 without its items: %v", err)
		}
		// 补正 asked on 10-08 with the default 15 working days (Saturday 10-12
		// is a 调休 working day): due 10-28.
		if _, err := db.AppendRequestEvent(ctx, handler, app.ID, requests.Event{Kind: requests.CorrectionRequested, On: day(t, "2024-10-08"), Note: "请写明决定书的文号"}); err != nil {
			t.Fatal(err)
		}
		files, err := db.SaveRequestNotice(ctx, handler, app.ID, requests.NoticeCorrection)
		if err != nil || len(files) != 2 || files[0].Kind != requests.NoticeCorrection {
			t.Fatalf("补正 notice: %+v %v", files, err)
		}
		got, err := db.RequestLetterFileContent(ctx, handler, app.ID, files[1].ID)
		if err != nil || got.Kind != requests.NoticeCorrection || !strings.HasPrefix(string(got.Content), "%PDF-") {
			t.Fatalf("stored notice: %v", err)
		}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
			cmd.Stdin = strings.NewReader(string(got.Content))
			out, err := cmd.Output()
			text := strings.Join(strings.Fields(string(out)), "")
			if err != nil || !strings.Contains(text, "补正申请告知书") || !strings.Contains(text, "2024年10月28日前") || !strings.Contains(text, "请写明决定书的文号") {
				t.Fatalf("notice text: %v\n%s", err, out)
			}
		}
		// Corrected on 10-15: the period restarts; extended by 10 working days
		// on 11-01 by the office head: due 11-12 + 10 = 11-26.
		for _, e := range []requests.Event{
			{Kind: requests.Corrected, On: day(t, "2024-10-15")},
			{Kind: requests.Extended, On: day(t, "2024-11-01"), Role: "office_head", Days: 10},
		} {
			if _, err := db.AppendRequestEvent(ctx, handler, app.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SaveRequestNotice(ctx, handler, app.ID, requests.NoticeExtension); err != nil {
			t.Fatal(err)
		}
		all, err := db.RequestLetterFiles(ctx, app.ID)
		if err != nil || len(all) != 4 || all[0].Kind != requests.NoticeExtension || all[3].Kind != requests.NoticeCorrection {
			t.Fatalf("documents %+v %v", all, err)
		}
		ext, _ := db.RequestApplication(ctx, app.ID)
		if ext.DueOn != "2024-11-26" {
			t.Errorf("due after the extension %s", ext.DueOn)
		}
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 1})
		if len(es) != 1 || es[0].Action != "request.notice" {
			t.Fatalf("audit %+v", es)
		}
	})
}

// Two downloads at once of a letter not yet kept keep it once.
func TestEnsureAnswerLetterOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-ensure-0123456789", sampleApplication(t, "2024-09-27"))
		if err != nil {
			t.Fatal(err)
		}
		handler := actorOf(mustUser(t, db, fz.ID, "handler", "password-123", org.RoleHandler, org.RoleOfficeHead, org.RoleLegal))
		if _, err := db.EnsureRequestAnswerLetter(ctx, handler, app.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("before the answer: %v", err)
		}
		for _, e := range []requests.Event{
			{Kind: requests.Decided, On: day(t, "2024-10-08"), Outcome: annual.RowDisclosed},
			{Kind: requests.Answered, On: day(t, "2024-10-09"), Note: "予以公开"},
		} {
			if _, err := db.AppendRequestEvent(ctx, handler, app.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		got := make(chan []store.RequestLetterFile, 2)
		for range 2 {
			go func() {
				files, err := db.EnsureRequestAnswerLetter(ctx, handler, app.ID)
				if err != nil {
					t.Error(err)
				}
				got <- files
			}()
		}
		a, b := <-got, <-got
		if len(a) != 2 || len(b) != 2 || a[0].ID+a[1].ID != b[0].ID+b[1].ID {
			t.Fatalf("two downloads kept different letters: %+v %+v", a, b)
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM req_letters").Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d documents kept, %v", n, err)
		}
	})
}

// 文书编号: per unit, per kind, per year of issue, allocated in the
// transaction that stores the document — concurrent saves never share a
// number; a unit's own format applies to what is issued after it is set,
// and documents already stored keep theirs.
func TestRequestDocNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		handler := actorOf(mustUser(t, db, fz.ID, "handler", "password-123", org.RoleHandler, org.RoleOfficeHead))
		mwHandler := actorOf(mustUser(t, db, mw.ID, "mwhandler", "password-123", org.RoleHandler))
		submit := func(unit int64, tok, received string, by audit.Actor, evs ...requests.Event) int64 {
			t.Helper()
			app, _, _, err := db.SubmitApplication(ctx, audit.Public, unit, tok, sampleApplication(t, received))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if _, err := db.AppendRequestEvent(ctx, by, app.ID, e); err != nil {
					t.Fatal(err)
				}
			}
			return app.ID
		}
		ask := func(on string) requests.Event {
			return requests.Event{Kind: requests.CorrectionRequested, On: day(t, on), Note: "请写明文号"}
		}
		// Eight 补正 notices saved at once: numbers 1 to 8, none twice.
		var ids []int64
		for i := range 8 {
			ids = append(ids, submit(fz.ID, "tok-docno-"+strconv.Itoa(i)+"-0123456789", "2024-12-02", handler, ask("2024-12-03")))
		}
		numbers := make(chan string, len(ids))
		for _, id := range ids {
			go func() {
				files, err := db.SaveRequestNotice(ctx, handler, id, requests.NoticeCorrection)
				if err != nil {
					t.Error(err)
					numbers <- ""
					return
				}
				numbers <- files[0].DocNo
			}()
		}
		seen := map[string]bool{}
		for range ids {
			n := <-numbers
			if seen[n] || !strings.HasPrefix(n, "福州关依补〔2024〕") {
				t.Errorf("number %q (seen %v)", n, seen)
			}
			seen[n] = true
		}
		if !seen["福州关依补〔2024〕1号"] || !seen["福州关依补〔2024〕8号"] {
			t.Errorf("numbers %v", seen)
		}
		// Another kind, another unit, another year: their own sequences.
		ext := submit(fz.ID, "tok-docno-ext-0123456789", "2024-12-02", handler,
			requests.Event{Kind: requests.Extended, On: day(t, "2024-12-20"), Role: org.RoleOfficeHead, Days: 5})
		if files, err := db.SaveRequestNotice(ctx, handler, ext, requests.NoticeExtension); err != nil || files[0].DocNo != "福州关依延〔2024〕1号" {
			t.Fatalf("extension number %+v %v", files, err)
		}
		other := submit(mw.ID, "tok-docno-mw-0123456789", "2024-12-02", mwHandler, ask("2024-12-03"))
		if files, err := db.SaveRequestNotice(ctx, mwHandler, other, requests.NoticeCorrection); err != nil || files[0].DocNo != "马尾关依补〔2024〕1号" {
			t.Fatalf("another unit's number %+v %v", files, err)
		}
		// The unit's own format, from 2025: the earlier documents keep theirs.
		plain := actorOf(mustUser(t, db, fz.ID, "plain", "password-123", org.RoleHandler))
		if err := db.SetRequestOffice(ctx, plain, fz.ID, requests.Office{DocNo: "{简称}依申{类}〔{年}〕第{号}号"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a handler set the office: %v", err)
		}
		head := actorOf(mustUser(t, db, fz.ID, "head", "password-123", org.RoleOfficeHead))
		if err := db.SetRequestOffice(ctx, head, fz.ID, requests.Office{DocNo: "{简称}依申{类}第{号}号"}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("a format without the year: %v", err)
		}
		if err := db.SetRequestOffice(ctx, head, fz.ID, requests.Office{DocNo: "{简称}依申{类}〔{年}〕第{号}号", Contact: "王芳", Phone: "（0591）87081207"}); err != nil {
			t.Fatal(err)
		}
		next := submit(fz.ID, "tok-docno-2025-0123456789", "2025-01-06", handler, ask("2025-01-07"))
		files, err := db.SaveRequestNotice(ctx, handler, next, requests.NoticeCorrection)
		if err != nil || files[0].DocNo != "福州关依申补〔2025〕第1号" {
			t.Fatalf("2025 number %+v %v", files, err)
		}
		if n := countRows(t, db, "SELECT count(*) FROM req_letters WHERE doc_no = '福州关依补〔2024〕1号'"); n != 2 {
			t.Errorf("the 2024 documents changed their numbers: %d", n)
		}
		l, _, err := db.RequestNotice(ctx, next, requests.NoticeCorrection)
		if err != nil || l.Contact != "（联系人：王芳　联系电话：（0591）87081207）" || !strings.Contains(strings.Join(l.Paragraphs, ""), "致电（0591）87081207联系") {
			t.Fatalf("contact on the notice: %+v %v", l, err)
		}
	})
}

// A step and the documents it sends are one transaction: the 补正 notice is
// kept with the step; when the notice cannot be written the step is not
// recorded either (no step without its notice, no notice without its step).
func TestRecordRequestStepIsOneTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		h := mustUser(t, db, u.ID, "chen", "password-123", org.RoleHandler)
		received := calendar.Today(nil).AddDays(-3)
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, u.ID, "tok-onetx-0123456789", sampleApplication(t, received.String()))
		if err != nil {
			t.Fatal(err)
		}
		step := requests.Event{Kind: requests.CorrectionRequested, On: received.AddDays(1), Role: org.RoleHandler, Note: "请写明所需信息的文号。", SentBy: requests.ChannelOnline}
		if err := db.SetSetting(ctx, admin, "requests.pdf_font", "/nonexistent/font.ttf"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordRequestStep(ctx, actorOf(h), app.ID, step); err == nil || !strings.Contains(errs.MessageOf(err), "requests.pdf_font") {
			t.Fatalf("a step whose notice fails: %v", err)
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.EventCount != 1 || got.Status == requests.StatusAwaitingCorrection {
			t.Fatalf("the step was recorded without its notice: %+v", got)
		}
		if n := countRows(t, db, "SELECT count(*) FROM req_letters"); n != 0 {
			t.Fatalf("%d documents without their step", n)
		}
		if err := db.SetSetting(ctx, admin, "requests.pdf_font", ""); err != nil {
			t.Fatal(err)
		}
		rec, err := db.RecordRequestStep(ctx, actorOf(h), app.ID, step)
		if err != nil || rec.State.Status != requests.StatusAwaitingCorrection || len(rec.Notices) != 1 || rec.Notices[0] != requests.NoticeCorrection || rec.Letter {
			t.Fatalf("recorded %+v %v", rec, err)
		}
		files, err := db.RequestLetterFiles(ctx, app.ID)
		if err != nil || len(files) != 2 || files[0].Kind != requests.NoticeCorrection {
			t.Fatalf("kept %+v %v", files, err)
		}
	})
}
