package main

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/inspect"
	"gongkai/internal/jobs"
	"gongkai/internal/smtp/smtptest"
	"gongkai/internal/store"
)

// Two instances run the schedule, the probes and the digest at once: each
// target is inspected once per due time, each address probed once per
// interval, each unit's digest made and mailed once a day.
func TestInspectJobsOnceAcrossInstances(t *testing.T) {
	eachInspectDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ext := extServer(t)
		w, _ := defectSite(t, db, ext.URL)
		act, _ := w.headActor()
		noErr(t, db.SetUnitSettings(ctx, act, w.unit.ID, map[string]string{"report.portal_url": ext.URL + "/ok"}))
		mail := smtptest.Start(t)
		host, port := mail.HostPort()
		for k, v := range map[string]string{"requests.smtp_host": host, "requests.smtp_port": strconv.Itoa(port), "requests.smtp_from": "gongkai@example.cn"} {
			noErr(t, db.SetSetting(ctx, audit.System("test"), k, v))
		}
		a, b := testInspector(db), testInspector(db)
		a.worker, b.worker = "a", "b"
		twice := func(kind string) {
			var wg sync.WaitGroup
			for _, in := range []*inspector{a, b} {
				wg.Add(1)
				go func(in *inspector) {
					defer wg.Done()
					if _, err := in.jobs()[kind](ctx, jobs.Job{Kind: kind}); err != nil && !strings.Contains(err.Error(), "busy") && !strings.Contains(err.Error(), "锁") {
						t.Errorf("%s: %v", kind, err)
					}
				}(in)
			}
			wg.Wait()
		}
		twice("inspect.schedule")
		twice("inspect.schedule")
		runs, err := db.InspectRuns(ctx, w.unit.ID, 0)
		noErr(t, err)
		scheduled := 0
		for _, r := range runs {
			if r.Trigger == inspect.Scheduled {
				scheduled++
				if r.Status != inspect.Complete {
					t.Errorf("scheduled run %s: %v", r.Status, r.Reasons)
				}
			}
		}
		if scheduled != 1 {
			t.Errorf("%d scheduled runs for one due time", scheduled)
		}
		twice("inspect.probe")
		twice("inspect.probe")
		ps, err := db.Probes(ctx, ext.URL+"/ok", inspectNow.Add(-time.Hour))
		noErr(t, err)
		if len(ps) != 1 || !ps[0].OK {
			t.Errorf("probes: %+v", ps)
		}
		// The digest goes out from 08:00 Beijing time; the fixture's clock
		// is 10:00.
		twice("inspect.digest")
		twice("inspect.digest")
		ds, err := db.InspectDigests(ctx, w.unit.ID, 10)
		noErr(t, err)
		if len(ds) != 1 || ds[0].Notices == 0 {
			t.Errorf("digests: %+v", ds)
		}
		msgs := mail.Messages()
		perUser := map[string]int{}
		for _, r := range mail.Recipients() {
			perUser[r]++
		}
		if len(msgs) == 0 {
			t.Fatal("no digest mailed")
		}
		for u, n := range perUser {
			if n != 1 {
				t.Errorf("%s got %d digests", u, n)
			}
		}
		if perUser["<"+w.editor.Email+">"] != 1 {
			t.Errorf("the editor, responsible for the guide, got no digest: %v", perUser)
		}
	})
}
