package store_test

import (
	"fmt"
	"testing"
	"time"

	"gongkai/internal/publish"
	"gongkai/internal/store"
)

// The listing counts the portal reads (maintained as rows are written,
// migration 0080) equal a count of the live rows after publication,
// scheduling, its time passing and withdrawal; and every change moves the
// unit's generation, in the same transaction.
func TestPortalCountsAndGeneration(t *testing.T) {
	eachPub(t, func(t *testing.T, w *pubWorld) {
		check := func(step string) {
			t.Helper()
			_, got, err := w.db.Public().Categories(ctx, w.unit.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]int{}
			p, err := w.db.Public().List(ctx, publish.ListQuery{UnitID: w.unit.ID, PerPage: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				want[it.CategoryID]++
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || p.Total != len(p.Items) {
				t.Fatalf("%s: counts %v (total %d), live rows %v (%d)", step, got, p.Total, want, len(p.Items))
			}
		}
		gen := func() int64 {
			g, err := w.db.PortalGenerations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return g[w.unit.ID][0]
		}
		check("empty")
		g0 := gen()
		a := w.create(t, w.content("计数甲", "正文"))
		w.publishNow(t, a.ID)
		if gen() == g0 {
			t.Fatal("publication did not move the generation")
		}
		c := w.content("计数乙", "正文")
		c.CategoryID = w.cats["tongzhi"].ID
		if c.CategoryID == 0 {
			for _, x := range w.cats {
				if x.ID != w.cats["gonggao"].ID {
					c.CategoryID = x.ID
					break
				}
			}
		}
		b := w.create(t, c)
		w.act(t, w.editor, b.ID, store.Act{Kind: publish.EvSubmit})
		w.act(t, w.reviewer, b.ID, store.Act{Kind: publish.EvApprove})
		at := w.clock.t.Add(2 * time.Hour)
		w.act(t, w.editor, b.ID, store.Act{Kind: publish.EvPublish, PublishAt: at})
		check("scheduled")
		next, err := w.db.NextPortalChange(ctx, w.unit.ID)
		if err != nil || !next.Equal(at.Truncate(time.Second)) && !next.Equal(at) {
			t.Fatalf("next change %v, want %v (%v)", next, at, err)
		}
		w.clock.add(3 * time.Hour)
		check("after its time")
		g1 := gen()
		w.act(t, w.reviewer, a.ID, store.Act{Kind: publish.EvWithdraw, Reason: "撤回测试"})
		if gen() == g1 {
			t.Fatal("withdrawal did not move the generation")
		}
		check("withdrawn")
	})
}
