package store_test

import (
	"errors"
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

// Who may take each step is decided in the write transaction on the roles
// the actor holds in the application's unit (org.Policy): the legal
// reviewer and the office head do not handle, a handler of another unit
// does not, the public only submits and corrects; a disabled account does
// nothing.
func TestRequestStepsFollowThePolicy(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		db := w.db
		mw := mustUnit(t, db, w.unit.ID, "mawei", "马尾海关")
		handler := mustUser(t, db, w.unit.ID, "chen", "password-123", org.RoleHandler)
		head := mustUser(t, db, w.unit.ID, "head", "password-123", org.RoleOfficeHead)
		legal := mustUser(t, db, w.unit.ID, "fawu", "password-123", org.RoleLegal)
		other := mustUser(t, db, mw.ID, "wang", "password-123", org.RoleHandler)
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, w.unit.ID, "tok-policy-0123456789", sampleApplication(t, "2024-03-01"))
		if err != nil {
			t.Fatal(err)
		}
		step := func(who audit.Actor, e requests.Event) error {
			_, err := db.AppendRequestEvent(ctx, who, app.ID, e)
			return err
		}
		consult := requests.Event{Kind: requests.ConsultStarted, On: day(t, "2024-03-04"), Role: org.RoleHandler, SentBy: requests.ChannelRegistered, PartyName: "某公司"}
		for _, tc := range []struct {
			name string
			who  audit.Actor
			e    requests.Event
		}{
			{"法制审核人员办理", actorOf(legal), consult},
			{"公开办负责人办理", actorOf(head), consult},
			{"其他单位承办人", actorOf(other), consult},
			{"公众办理", audit.Public, consult},
			{"承办人延期", actorOf(handler), requests.Event{Kind: requests.Extended, On: day(t, "2024-03-04"), Role: org.RoleOfficeHead, Days: 5}},
			{"承办人法制审核", actorOf(handler), requests.Event{Kind: requests.LegalReviewed, On: day(t, "2024-03-04"), Role: org.RoleLegal, Approved: true}},
		} {
			if err := step(tc.who, tc.e); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.EventCount != 1 {
			t.Fatalf("a refused step was written: %d events", got.EventCount)
		}
		// The handler's consultation by registered mail: received three days
		// later by default (Thu 03-07), the limit 15 working days on
		// (03-08 #1 … 03-28 #15), kept as a derived column.
		if err := step(actorOf(handler), consult); err != nil {
			t.Fatal(err)
		}
		evs, _ := db.RequestEvents(ctx, app.ID)
		if last := evs[len(evs)-1]; last.SentBy != requests.ChannelRegistered || last.ServedOn != day(t, "2024-03-07") || last.PartyName != "某公司" || last.Party != "" {
			t.Fatalf("stored consultation %+v", last.Event)
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.Status != requests.StatusConsulting || got.ConsultUntil != "2024-03-28" {
			t.Fatalf("consultation columns %+v", got)
		}
		if err := step(actorOf(handler), requests.Event{Kind: requests.ConsultEnded, On: day(t, "2024-03-15"), Reply: requests.ReplyObjected, Note: "商业秘密"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.ConsultUntil != "" {
			t.Errorf("a closed consultation keeps its limit: %q", got.ConsultUntil)
		}
		// 第三十六条第（一）项 needs an item the portal shows now.
		draft := w.create(t, w.content("2023年行政处罚信息公开目录", "目录"))
		decided := requests.Event{Kind: requests.Decided, On: day(t, "2024-03-18"), Outcome: annual.RowDisclosed, SubKind: requests.SubAlreadyPublished,
			ItemID: draft.ID, PublicInterest: true, Note: "涉及公共安全"}
		if err := step(actorOf(handler), decided); !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), "正在公开") {
			t.Fatalf("an unpublished item: %v", err)
		}
		w.publishNow(t, draft.ID)
		if err := step(actorOf(handler), decided); err != nil {
			t.Fatalf("a published item: %v", err)
		}
		// The decision went against the objection: legal review by the
		// legal reviewer only.
		if err := step(actorOf(legal), requests.Event{Kind: requests.LegalReviewed, On: day(t, "2024-03-18"), Role: org.RoleLegal, Approved: true}); err != nil {
			t.Fatal(err)
		}
		// The applicant's details: the unit's handlers only, in the store too.
		if _, err := db.RequestApplicantID(ctx, actorOf(legal), app.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("the legal reviewer read the identity number: %v", err)
		}
		if _, err := db.RequestApplicantID(ctx, actorOf(other), app.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("another unit's handler read the identity number: %v", err)
		}
		if id, err := db.RequestApplicantID(ctx, actorOf(handler), app.ID); err != nil || id == "" {
			t.Fatalf("the handler: %q %v", id, err)
		}
		if err := db.AddRequestAppeal(ctx, actorOf(head), &requests.Appeal{ApplicationID: app.ID, Kind: requests.Reconsideration, FiledOn: day(t, "2024-03-20")}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("the office head recorded an appeal: %v", err)
		}
		// A disabled account may do nothing more.
		if err := db.SetDisabled(ctx, admin, handler.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := step(actorOf(handler), requests.Event{Kind: requests.Answered, On: day(t, "2024-03-19")}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a disabled handler answered: %v", err)
		}
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 10})
		found := false
		for _, e := range es {
			found = found || e.Action == "request.decided" && strings.Contains(string(e.After), `"public_interest":true`) && strings.Contains(string(e.After), `"item_id"`)
		}
		if !found {
			t.Errorf("the decision's audit lacks its grounds: %+v", es)
		}
	})
}

// The policy settings: an extension kept across a 补正 and the days a
// letter takes by a channel.
func TestRequestPolicySettings(t *testing.T) {
	db := storetest.Open(t, store.SQLite, store.Options{})
	set, err := db.RequestSettings(ctx)
	if err != nil || set.ExtensionSurvivesCorrection || set.ServiceDays[requests.ChannelRegistered] != 3 || set.ServiceDays[requests.ChannelInPerson] != 0 {
		t.Fatalf("defaults %+v %v", set, err)
	}
	for k, v := range map[string]string{"requests.extension_survives_correction": "1", "requests.service_days.registered": "5", "requests.service_days.ordinary_mail": "x"} {
		if err := db.SetSetting(ctx, admin, k, v); err != nil {
			t.Fatal(err)
		}
	}
	set, err = db.RequestSettings(ctx)
	if err != nil || !set.ExtensionSurvivesCorrection || set.ServiceDays[requests.ChannelRegistered] != 5 || set.ServiceDays[requests.ChannelOrdinaryMail] != 7 {
		t.Fatalf("set %+v %v", set, err)
	}
	if requests.DefaultServiceDays[requests.ChannelRegistered] != 3 {
		t.Fatal("the settings changed the defaults")
	}
}

// The workbench's derived columns: a decision awaiting legal review, a
// request for an extension awaiting the office head.
func TestRequestWorkbenchColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		h := mustUser(t, db, fz.ID, "chen", "password-123", org.RoleHandler)
		head := mustUser(t, db, fz.ID, "head", "password-123", org.RoleOfficeHead)
		legal := mustUser(t, db, fz.ID, "fawu", "password-123", org.RoleLegal)
		a := sampleApplication(t, "2024-03-01")
		a.AssignTo = h.ID
		app, _, _, err := db.SubmitApplication(ctx, actorOf(h), fz.ID, "tok-bench-0123456789", a)
		if err != nil {
			t.Fatal(err)
		}
		step := func(who org.User, e requests.Event) store.RequestApp {
			t.Helper()
			if _, err := db.AppendRequestEvent(ctx, actorOf(who), app.ID, e); err != nil {
				t.Fatalf("%s: %v", e.Kind, err)
			}
			got, _ := db.RequestApplication(ctx, app.ID)
			return got
		}
		list := func(f store.RequestFilter) int {
			f.UnitIDs = []int64{fz.ID}
			apps, err := db.RequestApplications(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(apps)
		}
		got := step(h, requests.Event{Kind: requests.ExtensionRequested, On: day(t, "2024-03-20"), Role: org.RoleHandler, Days: 10, Note: "需调取档案"})
		if got.ExtensionAsked != "2024-03-20" || got.DueOn != "2024-03-29" || list(store.RequestFilter{ExtensionAsked: true}) != 1 {
			t.Fatalf("asked: %+v", got)
		}
		got = step(head, requests.Event{Kind: requests.Extended, On: day(t, "2024-03-21"), Role: org.RoleOfficeHead, Days: 10})
		if got.ExtensionAsked != "" || got.DueOn != "2024-04-15" || list(store.RequestFilter{ExtensionAsked: true}) != 0 {
			t.Fatalf("extended: %+v", got)
		}
		got = step(h, requests.Event{Kind: requests.Decided, On: day(t, "2024-03-22"), Role: org.RoleHandler, Outcome: annual.RowWithheldInternalAffairs})
		if !got.ReviewPending || list(store.RequestFilter{ReviewPending: true}) != 1 {
			t.Fatalf("decided: %+v", got)
		}
		got = step(legal, requests.Event{Kind: requests.LegalReviewed, On: day(t, "2024-03-25"), Role: org.RoleLegal, Approved: true})
		if got.ReviewPending || list(store.RequestFilter{ReviewPending: true}) != 0 {
			t.Fatalf("reviewed: %+v", got)
		}
	})
}

// The checks of a step a person records are the store's, in the appending
// transaction (requests.CheckRecordedStep, requests.CheckFeeQuote), not only
// the form's: a caller of the store that skips the page is refused alike,
// and the system records a history as given.
func TestRequestRecordedStepRulesInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		handler := mustUser(t, db, u.ID, "chen", "password-123", org.RoleHandler)
		received := calendar.Today(nil).AddDays(-3)
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, u.ID, "tok-recorded-0123456789", sampleApplication(t, received.String()))
		if err != nil {
			t.Fatal(err)
		}
		tomorrow := calendar.Today(nil).AddDays(1)
		decided := requests.Event{Kind: requests.Decided, On: tomorrow, Role: org.RoleHandler, Outcome: annual.RowDisclosed}
		var ae *errs.Error
		if _, err := db.AppendRequestEvent(ctx, actorOf(handler), app.ID, decided); !errors.As(err, &ae) || ae.Field != "on" {
			t.Fatalf("a step dated tomorrow: %v", err)
		}
		// The applicant's first request of the month costs nothing (109号):
		// no fee notice, whatever the caller.
		fee := requests.Event{Kind: requests.FeeNoticed, On: received, Role: org.RoleHandler, Basis: requests.PerRequest, SentBy: requests.ChannelOnline}
		if _, err := db.AppendRequestEvent(ctx, actorOf(handler), app.ID, fee); !errors.As(err, &ae) || ae.Field != "fee_basis" || !strings.Contains(ae.Message, "不收费") {
			t.Fatalf("a fee notice of zero: %v", err)
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.EventCount != 1 {
			t.Fatalf("a refused step was written: %d events", got.EventCount)
		}
		// An amount given by the system (an earlier system's history) is kept.
		fee.Yuan = 100
		if _, err := db.AppendRequestEvent(ctx, audit.System("import"), app.ID, fee); err != nil {
			t.Fatal(err)
		}
	})
}
