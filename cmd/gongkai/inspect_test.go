package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/inspect"
	"gongkai/internal/rectify"
	"gongkai/internal/store"
)

// runOwn inspects a unit's own portal through the runner the job and the
// command line use, and returns the run and its findings.
func runOwn(t *testing.T, db *store.DB, unitID int64, url string) (inspect.Run, []store.FindingRow) {
	t.Helper()
	ctx := context.Background()
	r := &inspect.Run{UnitID: unitID, Target: inspect.Target{UnitID: unitID, Own: true, URL: url}, Trigger: inspect.Manual}
	if _, err := db.QueueRun(ctx, audit.System("test"), inspect.SystemActor("测试"), r); err != nil {
		t.Fatal(err)
	}
	done, err := testInspector(db).run(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := db.RunFindings(ctx, done.ID)
	if err != nil {
		t.Fatal(err)
	}
	return done, fs
}

func describeFindings(fs []store.FindingRow) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s %s\n", f.Level.Label(), f.Indicator.Label(), f.URL, f.Message)
	}
	return b.String()
}

// The defect site: every defect is found exactly once, with its class;
// nothing else is found. The clean site: nothing is found, every indicator
// is judged 合格 and the run is complete.
func TestInspectDefectAndCleanSites(t *testing.T) {
	eachInspectDB(t, func(t *testing.T, db *store.DB) {
		ext := extServer(t)
		w, want := defectSite(t, db, ext.URL)
		run, fs := runOwn(t, db, w.unit.ID, "https://defect.example.cn")
		if run.Status != inspect.Complete {
			t.Fatalf("defect site run %s: %v", run.Status, run.Reasons)
		}
		used := make([]bool, len(fs))
		for _, d := range want {
			n := 0
			for i, f := range fs {
				if f.Indicator == d.ind && (strings.Contains(f.Message, d.word) || strings.Contains(f.URL, d.word)) {
					n++
					used[i] = true
					if f.Level != d.level {
						t.Errorf("%s %q: class %s, want %s", d.ind.Label(), d.word, f.Level.Label(), d.level.Label())
					}
				}
			}
			if n != 1 {
				t.Errorf("%s %q found %d times, want once; findings:\n%s", d.ind.Label(), d.word, n, describeFindings(fs))
			}
		}
		for i, f := range fs {
			if !used[i] {
				t.Errorf("unexpected finding: %s %s %s %s", f.Level.Label(), f.Indicator.Label(), f.URL, f.Message)
			}
		}
		// Each finding names who answers for it: the item's author and
		// department, the enquiry's drafter.
		for _, f := range fs {
			if f.ItemID == w.items["guide-bad"] && (f.StaffID != w.editor.ID || f.DepartmentID != w.business.ID) {
				t.Errorf("guide finding's people: staff %d dept %d", f.StaffID, f.DepartmentID)
			}
		}
		if run.Vetoes != 5 || run.Warnings != 2 || run.Deductions != 9 {
			t.Errorf("counts: %d vetoes, %d warnings, %d deductions", run.Vetoes, run.Warnings, run.Deductions)
		}
		verdicts := map[inspect.Indicator]inspect.Verdict{}
		for _, j := range run.Judgements {
			verdicts[j.Indicator] = j.Verdict
		}
		if verdicts[inspect.HomeStale] != inspect.OK || verdicts[inspect.Availability] != inspect.VerdictVeto || verdicts[inspect.GuideElements] != inspect.VerdictVeto {
			t.Errorf("verdicts: %v", verdicts)
		}

		c := cleanSite(t, db)
		run, fs = runOwn(t, db, c.unit.ID, "https://clean.example.cn")
		if run.Status != inspect.Complete || len(fs) != 0 {
			t.Fatalf("clean site: %s %v, %d findings:\n%s", run.Status, run.Reasons, len(fs), describeFindings(fs))
		}
		for _, j := range run.Judgements {
			if j.Verdict != inspect.OK {
				t.Errorf("clean site: %s is %s (%s)", j.Indicator.Label(), j.Verdict.Label(), j.Note)
			}
		}
	})
}

// Findings across runs: a defect seen again is the same finding (and is
// not told again); one no longer seen by a complete run is closed; a
// finding goes to the register once, with its source, its department and
// its staff member.
func TestInspectFindingsAcrossRuns(t *testing.T) {
	eachInspectDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ext := extServer(t)
		w, _ := defectSite(t, db, ext.URL)
		first, fs1 := runOwn(t, db, w.unit.ID, "https://defect.example.cn")
		second, fs2 := runOwn(t, db, w.unit.ID, "https://defect.example.cn")
		if len(fs1) != len(fs2) {
			t.Fatalf("runs found %d then %d", len(fs1), len(fs2))
		}
		ids := map[int64]bool{}
		for _, f := range fs1 {
			ids[f.ID] = true
		}
		for _, f := range fs2 {
			if !ids[f.ID] {
				t.Errorf("second run made a new finding for %s", f.Message)
			}
		}
		// Notices: the editor was told of the guide once, on the first run.
		ns, err := db.InspectNotices(ctx, w.editor.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		guideNotices := 0
		for _, n := range ns {
			if strings.Contains(n.Message, "办事指南") && strings.Contains(n.Message, "缺少要素") {
				guideNotices++
				if n.RunID != first.ID {
					t.Errorf("notice from run %d, want %d", n.RunID, first.ID)
				}
			}
		}
		if guideNotices != 1 {
			t.Errorf("editor has %d notices of the guide, want 1: %+v", guideNotices, ns)
		}
		// Findings without a record go to the office: the head hears of the
		// availability.
		hn, _ := db.InspectNotices(ctx, w.head.ID, 0)
		if !strings.Contains(fmt.Sprint(hn), "首页可用性") {
			t.Errorf("head's notices lack the availability: %+v", hn)
		}
		_ = second

		// To the register, once.
		var guide store.FindingRow
		for _, f := range fs2 {
			if f.Indicator == inspect.GuideElements {
				guide = f
			}
		}
		act, who := w.headActor()
		reg := rectify.Actor{UserID: w.head.ID, Name: w.head.DisplayName, Roles: who.Roles}
		p, err := db.SendFindingToRegister(ctx, act, who, reg, guide.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Source != rectify.FromInspection || p.FindingID != guide.ID || p.OwnerDept != w.business.ID || p.OwnerName != w.editor.DisplayName || !strings.Contains(p.Description, "办理地点") {
			t.Errorf("problem: %+v", p.Fields)
		}
		if _, err := db.SendFindingToRegister(ctx, act, who, reg, guide.ID); err == nil || !strings.Contains(err.Error(), "已登记到整改台账") {
			t.Errorf("second send: %v", err)
		}
		// An editor may not send findings to the register.
		ed := inspect.Actor{UserID: w.editor.ID, Roles: w.editor.RolesIn(w.unit.ID)}
		if _, err := db.SendFindingToRegister(ctx, audit.Actor{UserID: w.editor.ID, Name: "editor"}, ed, rectify.ActorOf(w.editor, w.unit.ID), fs2[0].ID); err == nil {
			t.Error("an editor sent a finding to the register")
		}

		// Fix the stale news column: the next complete run closes its finding.
		w.publish(t, db, item{key: "news2", cat: "dongtai", title: "最新工作动态", made: bj(-2 * day), pub: bj(-day), body: "最新动态。"})
		_, fs3 := runOwn(t, db, w.unit.ID, "https://defect.example.cn")
		for _, f := range fs3 {
			if f.Indicator == inspect.ColumnStale && strings.Contains(f.Message, "工作动态") {
				t.Error("stale column still found after its update")
			}
		}
		open := false
		closed, err := db.Findings(ctx, store.FindingFilter{UnitIDs: []int64{w.unit.ID}, Open: &open})
		if err != nil {
			t.Fatal(err)
		}
		if len(closed) != 1 || !strings.Contains(closed[0].Message, "工作动态") {
			t.Errorf("closed findings: %s", describeFindings(closed))
		}
	})
}

// The command line's contract: exit codes, one line per finding with four
// tab-separated fields, JSON, bad input.
func TestInspectCommandLine(t *testing.T) {
	eachInspectDSN(t, func(t *testing.T, db *store.DB, dsn string) {
		ext := extServer(t)
		w, want := defectSite(t, db, ext.URL)
		run := func(args ...string) (int, string, string) {
			var out, errb bytes.Buffer
			m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
			code := m.Run(context.Background(), append([]string{"inspect"}, args...))
			return code, out.String(), errb.String()
		}
		code, out, errs := run("run", "--unit", w.unit.Code, "--db", dsn)
		// The command line's clock is the real one: the fixture's dates are
		// in the past, so it finds at least what the fixture planted.
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < len(want)-2 {
			t.Errorf("%d lines for %d defects:\n%s", len(lines), len(want), out)
		}
		for _, l := range lines {
			f := strings.Split(l, "\t")
			if len(f) != 4 || f[0] == "" || f[1] == "" || f[3] == "" {
				t.Errorf("line %q is not 级别<TAB>指标<TAB>URL<TAB>说明", l)
				continue
			}
			if _, ok := inspect.ParseLevel(f[0]); !ok {
				t.Errorf("level %q", f[0])
			}
		}
		if !strings.Contains(errs, "检查完成") {
			t.Errorf("stderr: %s", errs)
		}
		code, out, _ = run("run", "--unit", w.unit.Name, "--json", "--db", dsn)
		var j runJSON
		if code != 0 || json.Unmarshal([]byte(out), &j) != nil || !j.Complete || len(j.Findings) == 0 || j.Findings[0].LevelLabel == "" {
			t.Errorf("json: exit %d %.300s", code, out)
		}
		for _, c := range []struct {
			args []string
			code int
			say  string
		}{
			{[]string{"run"}, 2, "请用 --unit 指定单位"},
			{[]string{"run", "--unit", "defect", "extra"}, 2, "多余的参数"},
			{[]string{"walk"}, 2, "用法"},
			{[]string{"run", "--unit", "nowhere", "--db", dsn}, 1, "没有代码或名称"},
			{[]string{"run", "--unit", "defect", "--site", "ht!tp:/bad url", "--db", dsn}, 1, "格式不正确"},
			// A loopback site without --allow-private is refused, and the
			// run is recorded as incomplete rather than 合格.
			{[]string{"run", "--unit", "defect", "--site", ext.URL + "/ok", "--db", dsn}, 1, "拒绝访问内网或回环地址"},
		} {
			code, out, errs := run(c.args...)
			if code != c.code || !strings.Contains(out+errs, c.say) {
				t.Errorf("%v: exit %d, want %d with %q; %s%s", c.args, code, c.code, c.say, out, errs)
			}
		}
		code, _, errs = run("run", "--unit", "defect", "--site", ext.URL+"/ok", "--allow-private", "--db", dsn)
		if code != 0 {
			t.Errorf("allowed private site: exit %d %s", code, errs)
		}
	})
}
