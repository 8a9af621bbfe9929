package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/inspect"
	sitecrawl "gongkai/internal/inspect/crawl"
	"gongkai/internal/jobs"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// The inspection's background work (国办秘函〔2019〕19号): the schedule
// (inspect.schedule) queues each target's run once per due time and runs
// it; a run asked for in the back office is the job inspect.run; the
// availability probes (inspect.probe) look at every home page once per
// interval; the daily digest (inspect.digest) goes out once per unit and
// day. "Once" holds across instances: a scheduled run is unique by unit,
// target and due time, a probe by address and due time, a digest by unit
// and day, in the database.

// inspectRunJob is the job kind of a run asked for in the back office
// (web.InspectRunJob says the same).
const inspectRunJob = "inspect.run"

// portalBase is where the in-process crawler finds the own portal.
const portalBase = "http://portal.internal"

// inspector runs inspections against the store.
type inspector struct {
	db     *store.DB
	log    *slog.Logger
	now    func() time.Time
	worker string
	// remote carries requests to other sites (nil: the network, guarded);
	// guard overrides the address check (tests).
	remote http.RoundTripper
	guard  sitecrawl.Guard
	sleep  func(ctx context.Context, d time.Duration) error
}

func (in *inspector) clock() time.Time {
	if in.now != nil {
		return in.now()
	}
	return time.Now()
}

// portalHandler is the unit's portal as it is served, built in-process.
func (in *inspector) portalHandler(unitCode string) (http.Handler, error) {
	srv, err := web.New(in.db, &auth.Service{Store: in.db, Policy: auth.DefaultPolicy}, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{SiteUnit: unitCode})
	if err != nil {
		return nil, err
	}
	return srv.Handler(), nil
}

// run claims a queued run and makes it; a run another worker has is left
// alone.
func (in *inspector) run(ctx context.Context, id int64) (inspect.Run, error) {
	r, ok, err := in.db.ClaimRun(ctx, id, in.worker)
	if err != nil || !ok {
		return r, err
	}
	res, err := in.inspect(ctx, r)
	if err != nil && in.log != nil {
		in.log.Warn("inspection", "run", id, "err", err)
	}
	return in.db.FinishRun(ctx, audit.System("inspect"), id, res)
}

// inspect makes the inspection of a run's target.
func (in *inspector) inspect(ctx context.Context, r inspect.Run) (inspect.Result, error) {
	c := &sitecrawl.Crawler{Remote: in.remote, Guard: in.guard, Now: in.now, Sleep: in.sleep}
	x := inspect.Inspection{Target: r.Target, Sources: in.db, Crawler: c, Now: in.clock()}
	if r.Target.Own {
		u, err := in.db.Unit(ctx, r.UnitID)
		if err != nil {
			return inspect.Result{}, err
		}
		h, err := in.portalHandler(u.Code)
		if err != nil {
			return inspect.Result{}, err
		}
		c.Site, c.Local, x.Base = sitecrawl.Handler(h), true, portalBase
	} else if _, err := sitecrawl.ParseURL(r.Target.URL); err != nil {
		acc := inspect.NewAcc()
		acc.Incomplete(err.Error())
		return acc.Result(), nil
	}
	return inspect.Inspect(ctx, x)
}

// inspectRun is the job inspect.run: a run queued in the back office.
func (in *inspector) inspectRun() jobs.Handler {
	return func(ctx context.Context, j jobs.Job) (time.Time, error) {
		id, err := strconv.ParseInt(strings.TrimSpace(j.Payload), 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("inspect.run payload %q", j.Payload)
		}
		_, err = in.run(ctx, id)
		return time.Time{}, err
	}
}

// schedule is the recurring job inspect.schedule: every ten minutes it
// queues, for each target, the run of the latest due time if none exists
// (the unique index makes that once across instances), runs the runs it
// queued, and marks as incomplete the runs an instance left unfinished.
func (in *inspector) schedule() jobs.Handler {
	return func(ctx context.Context, j jobs.Job) (time.Time, error) {
		now := in.clock()
		next := now.Add(10 * time.Minute)
		s, err := in.db.InspectSettings(ctx)
		if err != nil {
			return next, err
		}
		if _, err := in.db.AbandonRuns(ctx, now.Add(-2*s.CrawlTimeout()-time.Hour)); err != nil {
			return next, err
		}
		targets, err := in.db.InspectTargets(ctx)
		if err != nil {
			return next, err
		}
		due := s.DueRun(now)
		for _, t := range targets {
			r := &inspect.Run{UnitID: t.UnitID, Target: t, Trigger: inspect.Scheduled, DueAt: due}
			queued, err := in.db.QueueRun(ctx, audit.System("inspect"), inspect.SystemActor("定时检查"), r)
			if err != nil {
				return next, err
			}
			if queued {
				if _, err := in.run(ctx, r.ID); err != nil {
					return next, err
				}
			}
		}
		return next, nil
	}
}

// probe is the recurring job inspect.probe: once per interval (setting
// inspect.probe_minutes) each home page is opened with the timeout of 19号;
// each address and due time is probed once across instances.
func (in *inspector) probe() jobs.Handler {
	return func(ctx context.Context, j jobs.Job) (time.Time, error) {
		now := in.clock()
		next := now.Add(time.Minute)
		s, err := in.db.InspectSettings(ctx)
		if err != nil {
			return next, err
		}
		slot := s.ProbeSlot(now)
		next = slot.Add(s.ProbeEvery())
		targets, err := in.db.ProbeTargets(ctx)
		if err != nil {
			return next, err
		}
		for _, t := range targets {
			ok, err := in.db.ClaimProbe(ctx, t.URL, slot)
			if err != nil || !ok {
				if err != nil {
					return next, err
				}
				continue
			}
			g := in.guard
			if g == nil && !(t.AllowPrivate || s.AllowPrivate) {
				g = sitecrawl.PublicOnly
			}
			rt := in.remote
			if rt == nil {
				rt = sitecrawl.NewTransport(g, s.ProbeWait())
			}
			p := sitecrawl.Probe(ctx, rt, t.URL, s.ProbeWait(), in.now)
			if err := in.db.RecordProbe(ctx, t.URL, slot, p); err != nil {
				return next, err
			}
		}
		return next, nil
	}
}

// digest is the recurring job inspect.digest: from the digest hour, once a
// day per unit, the notices raised since the last digest are gathered and
// mailed (one mail per person and unit) when SMTP is set.
func (in *inspector) digest() jobs.Handler {
	return func(ctx context.Context, j jobs.Job) (time.Time, error) {
		now := in.clock()
		next := now.Add(30 * time.Minute)
		s, err := in.db.InspectSettings(ctx)
		if err != nil {
			return next, err
		}
		if now.In(beijing).Hour() < s.DigestHour {
			return next, nil
		}
		day := calendar.DateOf(now.In(beijing))
		mails, err := in.db.ComposeInspectDigests(ctx, day.String())
		if err != nil {
			return next, err
		}
		smtp, err := in.db.RequestSMTP(ctx)
		if err != nil || !smtp.Configured() {
			return next, err
		}
		for _, m := range mails {
			ok, err := in.db.ClaimDigestMail(ctx, m)
			if err != nil {
				return next, err
			}
			if !ok {
				continue // another instance sends it
			}
			subject, body := digestText(m, day)
			if err := smtp.Send([]string{m.Email}, subject, body); err != nil {
				if rerr := in.db.ReleaseDigestMail(ctx, m); rerr != nil {
					return next, rerr
				}
				return next, err
			}
		}
		return next, nil
	}
}

// digestText is one person's daily digest of a unit's findings.
func digestText(m store.DigestMail, day calendar.Date) (subject, body string) {
	var v, w, d int
	for _, n := range m.Notices {
		switch n.Level {
		case inspect.Veto:
			v++
		case inspect.Warning:
			w++
		default:
			d++
		}
	}
	subject = fmt.Sprintf("【%s】网站检查提醒：单项否决%d项，预警%d项，扣分%d项", m.Unit, v, w, d)
	var b strings.Builder
	fmt.Fprintf(&b, "%s网站检查发现以下需要您处理的问题（国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》）：\n\n", day)
	for _, n := range m.Notices {
		fmt.Fprintf(&b, "%s\n", n.Message)
	}
	b.WriteString("\n请登录政务公开平台后台“网站检查”处理，需要整改的问题可一键登记到整改台账。本邮件由系统自动发送。\n")
	return subject, b.String()
}

// inspectJobs are the inspection's job handlers, for the runner.
func (in *inspector) jobs() map[string]jobs.Handler {
	return map[string]jobs.Handler{
		"inspect.schedule": in.schedule(),
		"inspect.probe":    in.probe(),
		"inspect.digest":   in.digest(),
	}
}

// runJSON is the command line's JSON form of a run.
type runJSON struct {
	Run        int64               `json:"run"`
	Unit       string              `json:"unit"`
	Target     string              `json:"target"`
	Status     inspect.Status      `json:"status"`
	Complete   bool                `json:"complete"`
	Reasons    []string            `json:"reasons"`
	Judgements []inspect.Judgement `json:"judgements"`
	Stats      inspect.Stats       `json:"stats"`
	Findings   []findingJSON       `json:"findings"`
}

type findingJSON struct {
	inspect.Finding
	LevelLabel     string `json:"level_label"`
	IndicatorLabel string `json:"indicator_label"`
}

func encodeRun(u org.Unit, r inspect.Run, fs []store.FindingRow) ([]byte, error) {
	out := runJSON{Run: r.ID, Unit: u.Name, Target: r.Target.Key(), Status: r.Status, Complete: r.Status == inspect.Complete,
		Reasons: nonNilStrings(r.Reasons), Judgements: r.Judgements, Stats: r.Stats, Findings: []findingJSON{}}
	for _, f := range fs {
		out.Findings = append(out.Findings, findingJSON{Finding: f.Finding, LevelLabel: f.Level.Label(), IndicatorLabel: f.Indicator.Label()})
	}
	return json.MarshalIndent(out, "", "  ")
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
