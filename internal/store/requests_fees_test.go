package store_test

import (
	"fmt"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestRequestFees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		// 张三 applies 12 times in March 2024 and once in April.
		var ids []int64
		for i := 1; i <= 13; i++ {
			on := fmt.Sprintf("2024-03-%02d", i)
			if i == 13 {
				on = "2024-04-01"
			}
			a := sampleApplication(t, on)
			a.Description = fmt.Sprintf("请公开第%d份文件", i)
			app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, fmt.Sprintf("tok-fees-%02d-0123456789", i), a)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, app.ID)
		}
		for _, c := range []struct {
			i     int
			basis requests.FeeBasis
			pages int
			yuan  int
		}{
			{1, requests.PerRequest, 0, 0},    // 1st in March: free
			{10, requests.PerRequest, 0, 0},   // 10th: free
			{11, requests.PerRequest, 0, 100}, // 11th: 100元
			{12, requests.PerRequest, 0, 100}, // 12th
			{13, requests.PerRequest, 0, 0},   // 1st in April
			{11, requests.PerPage, 45, 150},   // per page instead: 15 pages × 10元
			{12, requests.PerPage, 250, 4700}, // 70×10 + 100×20 + 50×40 = 700 + 2000 + 2000
		} {
			y, explain, err := db.RequestFeeQuote(ctx, ids[c.i-1], c.basis, c.pages)
			if err != nil || y != c.yuan || explain == "" {
				t.Errorf("application %d %s %d pages: %d元 %q %v, want %d元", c.i, c.basis, c.pages, y, explain, err, c.yuan)
			}
		}
		if _, _, err := db.RequestFeeQuote(ctx, ids[0], "both", 10); !errs.Is(err, errs.Invalid) {
			t.Fatalf("no basis: %v", err)
		}

		// Fees collected: the 11th pays 100元 in 2024; a 14th, received in
		// December, is noticed 3700元 within its answer period and pays in
		// January 2025.
		late, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-fees-14-0123456789", sampleApplication(t, "2024-12-10"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, late.ID)
		h := actorOf(mustUser(t, db, fz.ID, "clerk", "password-123", org.RoleHandler, org.RoleOfficeHead, org.RoleLegal))
		steps := []struct {
			i int
			e requests.Event
		}{
			{11, requests.Event{Kind: requests.FeeNoticed, On: day(t, "2024-03-14"), Yuan: 100}},
			{11, requests.Event{Kind: requests.FeePaid, On: day(t, "2024-03-20")}},
			{14, requests.Event{Kind: requests.FeeNoticed, On: day(t, "2024-12-20"), Yuan: 3700}},
			{14, requests.Event{Kind: requests.FeePaid, On: day(t, "2025-01-06")}},
			{13, requests.Event{Kind: requests.FeeNoticed, On: day(t, "2024-04-02"), Yuan: 100}},
		}
		for _, s := range steps {
			if _, err := db.AppendRequestEvent(ctx, h, ids[s.i-1], s.e); err != nil {
				t.Fatalf("%d %s: %v", s.i, s.e.Kind, err)
			}
		}
		for _, c := range []struct{ year, yuan, n int }{{2024, 100, 1}, {2025, 3700, 1}, {2023, 0, 0}} {
			y, n, err := db.RequestFeesCollected(ctx, fz.ID, c.year)
			if err != nil || y != c.yuan || n != c.n {
				t.Errorf("%d: %d元 in %d applications, %v; want %d元 in %d", c.year, y, n, err, c.yuan, c.n)
			}
		}
	})
}
