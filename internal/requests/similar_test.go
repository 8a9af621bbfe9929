package requests

import (
	"math"
	"testing"
)

func TestJaccard(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"福州海关", "福州海关", 1},
		{"福州海关", "厦门海关", 1.0 / 5}, // {福州,州海,海关} vs {厦门,门海,海关}: 1 of 5
		{"abc", "ABC", 1},
		{"申请公开2023年进口冻品检疫报告", "申请公开：2023年进口冻品检疫报告。", 1},
		{"", "", 0},
		{"甲", "乙", 0},
	} {
		if got := Jaccard(c.a, c.b); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Jaccard(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestSimilarHintsAndMonthCount(t *testing.T) {
	earlier := []Earlier{
		{ID: 1, ReceivedOn: mustDate(t, "2024-03-01"), Description: "请公开2023年福州口岸进口冻品检疫情况"},
		{ID: 2, ReceivedOn: mustDate(t, "2024-03-04"), Description: "请公开海关行政处罚决定书（榕关缉违字〔2024〕1号）"},
		{ID: 3, ReceivedOn: mustDate(t, "2024-02-28"), Description: "申请公开2023年福州口岸进口冻品的检疫情况"},
		{ID: 4, ReceivedOn: mustDate(t, "2024-03-20"), Description: "请公开2023年福州口岸进口冻品检疫情况"},
	}
	h := SimilarHints("请公开2023年福州口岸进口冻品检疫情况统计", earlier)
	if len(h) != 3 || h[0].ID != 1 && h[0].ID != 4 || h[2].ID != 3 {
		t.Fatalf("hints %+v", h)
	}
	for _, x := range h {
		if x.ID == 2 {
			t.Fatal("dissimilar application shown")
		}
	}
	// March 2024 on the 5th: applications 1 and 2 before it, and itself.
	if n := MonthCount(mustDate(t, "2024-03-05"), earlier); n != 3 {
		t.Fatalf("month count %d, want 3", n)
	}
}
