package requests

import (
	"testing"

	"gongkai/internal/calendar"
)

func TestProactiveSignal(t *testing.T) {
	d := func(s string) calendar.Date {
		v, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	q := "请公开2024年福州海关进口冷链食品抽检结果"
	apps := []Asked{
		{ID: 1, ApplicantKey: "a", Description: q, ReceivedOn: d("2024-01-10")},
		{ID: 2, ApplicantKey: "b", Description: "申请公开2024年福州海关进口冷链食品抽检结果", ReceivedOn: d("2024-03-01")},
		{ID: 3, ApplicantKey: "a", Description: q, ReceivedOn: d("2024-04-01")},                     // the same applicant again
		{ID: 4, ApplicantKey: "", Description: "2024年福州海关进口冷链食品的抽检结果", ReceivedOn: d("2024-12-20")}, // no identity: counts once
		{ID: 5, ApplicantKey: "c", Description: "请公开马尾港区2023年行政处罚决定书", ReceivedOn: d("2024-02-01")},
		{ID: 6, ApplicantKey: "d", Description: q, ReceivedOn: d("2025-06-01")}, // outside 12 months of 1
	}
	cases := []struct {
		name   string
		of     int
		set    ProactiveSettings
		others []int64
		signal bool
	}{
		{"three applicants", 0, DefaultProactive, []int64{2, 4}, true},
		{"a fourth needed", 0, ProactiveSettings{Applicants: 4, Months: 12, Threshold: 0.5}, []int64{2, 4}, false},
		{"a shorter window", 0, ProactiveSettings{Applicants: 3, Months: 2, Threshold: 0.5}, []int64{2}, false},
		{"nothing similar", 4, DefaultProactive, nil, false},
		{"a stricter threshold", 0, ProactiveSettings{Applicants: 2, Months: 12, Threshold: 0.99}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, signal := AlsoAsked(apps[c.of], apps, c.set)
			var ids []int64
			for _, a := range got {
				ids = append(ids, a.ID)
			}
			if signal != c.signal || len(ids) != len(c.others) {
				t.Fatalf("signal %v, others %v; want %v, %v", signal, ids, c.signal, c.others)
			}
			want := map[int64]bool{}
			for _, id := range c.others {
				want[id] = true
			}
			for _, id := range ids {
				if !want[id] {
					t.Errorf("unexpected %d in %v", id, ids)
				}
			}
		})
	}
	groups := Clusters(apps, DefaultProactive)
	if len(groups) != 1 || len(groups[0]) < 4 || groups[0][0].ID != 1 {
		t.Fatalf("clusters %+v", groups)
	}
	for _, a := range groups[0] {
		if a.ID == 5 {
			t.Error("an unrelated application in the group")
		}
	}
	if g := Clusters(apps, ProactiveSettings{Applicants: 5, Months: 12, Threshold: 0.5}); len(g) != 0 {
		t.Errorf("with 5 applicants needed: %+v", g)
	}
}
