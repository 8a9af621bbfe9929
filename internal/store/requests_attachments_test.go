package store_test

import (
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestRequestAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-attach-0123456789", sampleApplication(t, "2024-09-27"))
		if err != nil {
			t.Fatal(err)
		}
		pdf := []byte("%PDF-1.4 身份证复印件")
		// The public adds files only with its submission or correction.
		if err := db.AddRequestAttachments(ctx, audit.Public, app.ID, []requests.Attachment{{Name: "身份证.pdf", Content: pdf}}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("the public added a file: %v", err)
		}
		if err := db.AddRequestAttachments(ctx, admin, app.ID, []requests.Attachment{{Name: "身份证.pdf", Content: pdf}}); err != nil {
			t.Fatal(err)
		}
		// A renamed executable is refused and nothing is written.
		bad := []requests.Attachment{{Name: "a.pdf", Content: pdf}, {Name: "b.pdf", Content: []byte("MZ")}}
		if err := db.AddRequestAttachments(ctx, admin, app.ID, bad); !errs.Is(err, errs.Invalid) {
			t.Fatalf("bad file: %v", err)
		}
		var four []requests.Attachment
		for range 5 {
			four = append(four, requests.Attachment{Name: "x.pdf", Content: pdf})
		}
		if err := db.AddRequestAttachments(ctx, admin, app.ID, four); !errs.Is(err, errs.Invalid) {
			t.Fatalf("six in all: %v", err)
		}
		list, err := db.RequestAttachments(ctx, app.ID)
		if err != nil || len(list) != 1 || list[0].Name != "身份证.pdf" || list[0].ContentType != "application/pdf" || list[0].Size != len(pdf) {
			t.Fatalf("list %+v %v", list, err)
		}
		viewer := actorOf(mustUser(t, db, fz.ID, "clerk", "password-123", org.RoleHandler))
		got, err := db.RequestAttachmentContent(ctx, viewer, app.ID, list[0].ID)
		if err != nil || string(got.Content) != string(pdf) {
			t.Fatalf("content %v", err)
		}
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 1})
		if len(es) != 1 || es[0].Action != "request.view_attachment" || es[0].ActorName != viewer.Name {
			t.Fatalf("view not audited: %+v", es)
		}
		if _, err := db.RequestAttachmentContent(ctx, viewer, app.ID+100, list[0].ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("other application: %v", err)
		}
	})
}
