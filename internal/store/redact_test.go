package store_test

import (
	"bytes"
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/redact"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestRedactCasework: documents attached to a 部分公开 decision, marked,
// produced as released copies with the log, frozen by the legal review;
// the records are append-only and every step is the unit's handler's.
func TestRedactCasework(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		handler := actorOf(mustUser(t, db, fz.ID, "handler", "password-123", org.RoleHandler))
		legal := actorOf(mustUser(t, db, fz.ID, "legal", "password-123", org.RoleLegal))
		other := actorOf(mustUser(t, db, mw.ID, "other", "password-123", org.RoleHandler))
		app, _, _, err := db.SubmitApplication(ctx, handler, fz.ID, "tok-redact-0123456789", sampleApplication(t, "2024-09-27"))
		if err != nil {
			t.Fatal(err)
		}
		doc := []byte("行政处罚决定书目录\n当事人王秀英，身份证号350102198807154321，罚款二千元。\n内部讨论：拟从轻。\n")
		if _, err := db.AddRedactDocument(ctx, handler, app.ID, "目录.txt", doc); !errs.Is(err, errs.Conflict) {
			t.Fatalf("before a 部分公开 decision: %v", err)
		}
		if _, err := db.AppendRequestEvent(ctx, handler, app.ID, requests.Event{Kind: requests.Decided, On: day(t, "2024-10-08"), Outcome: annual.RowPartlyDisclosed}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddRedactDocument(ctx, other, app.ID, "目录.txt", doc); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("another unit's handler: %v", err)
		}
		d, err := db.AddRedactDocument(ctx, handler, app.ID, "目录.txt", doc)
		if err != nil {
			t.Fatal(err)
		}
		if d.Format != redact.Text || len(d.Pages) != 1 {
			t.Fatalf("document %+v", d)
		}
		third := redact.Ground(annual.RowWithheldThirdPartyRights)
		if _, err := db.AddRedactMarks(ctx, handler, app.ID, d.ID, []redact.Mark{{Kind: redact.Term, Text: "李四", Ground: third}}, false); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "没有找到") {
			t.Fatalf("a term that finds nothing: %v", err)
		}
		rules, err := db.RedactRules(ctx, fz.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddRedactRule(ctx, handler, fz.ID, redact.Rule{Name: "当事人姓名", Kind: redact.Term, Text: "王秀英", Ground: third}); err != nil {
			t.Fatal(err)
		}
		if rules2, _ := db.RedactRules(ctx, fz.ID); len(rules2) != len(rules)+1 {
			t.Fatalf("rules %d then %d", len(rules), len(rules2))
		}
		rules, _ = db.RedactRules(ctx, fz.ID)
		var ms []redact.Mark
		for _, r := range rules {
			ms = append(ms, r.Mark())
		}
		// The mobile-number rule finds nothing here and is left out.
		n, err := db.AddRedactMarks(ctx, handler, app.ID, d.ID, ms, true)
		if err != nil || n != 2 {
			t.Fatalf("rules applied: %d %v", n, err)
		}
		line3 := len([]rune("行政处罚决定书目录\n当事人王秀英，身份证号350102198807154321，罚款二千元。\n"))
		if _, err := db.AddRedactMarks(ctx, handler, app.ID, d.ID, []redact.Mark{{Kind: redact.Passage, Page: 1, Start: line3, End: line3 + 9, Ground: redact.Ground(annual.RowWithheldProcessInformation)}}, false); err != nil {
			t.Fatal(err)
		}
		marks, _ := db.RedactMarks(ctx, d.ID)
		if len(marks) != 3 {
			t.Fatalf("marks %+v", marks)
		}
		// Withdrawn and made again: the withdrawal is a row of its own.
		if err := db.CancelRedactMark(ctx, handler, app.ID, d.ID, marks[2].ID); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.RedactMarks(ctx, d.ID); len(again) != 2 {
			t.Fatalf("after withdrawal %d marks", len(again))
		}
		if _, err := db.AddRedactMarks(ctx, handler, app.ID, d.ID, []redact.Mark{marks[2].Mark}, false); err != nil {
			t.Fatal(err)
		}
		rel, err := db.ProduceRedactRelease(ctx, handler, app.ID, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.RedactReleaseContent(ctx, app.ID, rel.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"王秀英", "350102198807154321", "内部讨论：拟从轻"} {
			if bytes.Contains(got.Content, []byte(secret)) || strings.Contains(got.Name, secret) {
				t.Errorf("%q in the released copy", secret)
			}
		}
		for _, kept := range []string{"行政处罚决定书目录", "罚款二千元", "此处删除18字：保护第三方合法权益，条例第十五条", "属于过程性信息，条例第十六条第二款"} {
			if !bytes.Contains(got.Content, []byte(kept)) {
				t.Errorf("released copy lacks %q:\n%s", kept, got.Content)
			}
		}
		if len(rel.Log) != 3 || rel.Log[1].Chars != 3 || rel.Log[1].Rule != "当事人姓名" || rel.Log[0].MarkedBy == "" {
			t.Errorf("log %+v", rel.Log)
		}
		if list, _ := db.RedactReleases(ctx, app.ID); len(list) != 1 || list[0].ID != rel.ID {
			t.Errorf("releases %+v", list)
		}
		// The answer letter names the copy and the grounds, before the remedy notice.
		if _, err := db.AppendRequestEvent(ctx, legal, app.ID, requests.Event{Kind: requests.LegalReviewed, On: day(t, "2024-10-09"), Role: org.RoleLegal, Approved: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AppendRequestEvent(ctx, handler, app.ID, requests.Event{Kind: requests.Answered, On: day(t, "2024-10-10")}); err != nil {
			t.Fatal(err)
		}
		letter, _, err := db.RequestAnswerLetter(ctx, app.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		k := len(letter.Paragraphs)
		if k < 2 || letter.Paragraphs[k-1] != requests.RemedyNotice || !strings.Contains(letter.Paragraphs[k-2], "《"+rel.Name+"》") ||
			!strings.Contains(letter.Paragraphs[k-2], "保护第三方合法权益（条例第十五条）；属于过程性信息（条例第十六条第二款）") {
			t.Errorf("letter %q", letter.Paragraphs)
		}
		// The legal review and the answer freeze them.
		if _, err := db.ProduceRedactRelease(ctx, handler, app.ID, d.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("after legal review: %v", err)
		}
		for _, q := range []string{"UPDATE red_marks SET text = 'x'", "DELETE FROM red_releases", "UPDATE red_documents SET name = 'x'"} {
			if _, err := db.SQL().ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
}
