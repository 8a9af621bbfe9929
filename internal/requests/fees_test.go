package requests

import "testing"

func TestFees109(t *testing.T) {
	b := DefaultFeeBands
	for _, tc := range []struct {
		basis       FeeBasis
		month, page int
		want        int
	}{
		{PerRequest, 1, 0, 0},
		{PerRequest, 10, 0, 0},
		{PerRequest, 11, 0, 100},
		{PerRequest, 30, 0, 100},
		{PerRequest, 31, 0, 200},
		{PerRequest, 40, 0, 200},
		{PerRequest, 41, 0, 300},
		{PerRequest, 50, 0, 300},
		{PerRequest, 51, 0, 400},
		{PerPage, 0, 0, 0},
		{PerPage, 0, 30, 0},
		{PerPage, 0, 31, 10},
		{PerPage, 0, 100, 700},          // 70 × 10
		{PerPage, 0, 101, 720},          // 700 + 20
		{PerPage, 0, 200, 2700},         // 700 + 100 × 20
		{PerPage, 0, 201, 2740},         // 2700 + 40
		{PerPage, 0, 250, 2700 + 50*40}, // 4700
	} {
		got, err := b.Fee(tc.basis, tc.month, tc.page)
		if err != nil || got != tc.want {
			t.Errorf("Fee(%s, %d, %d) = %d, %v; want %d", tc.basis, tc.month, tc.page, got, err, tc.want)
		}
	}
	if _, err := b.Fee("both", 11, 40); err == nil {
		t.Error("no basis accepted")
	}
	if _, err := b.Fee(PerRequest, 0, 0); err == nil {
		t.Error("month count 0 accepted")
	}
	if s := b.FeeExplain(PerPage, 0, 101); s != "依据国办函〔2020〕109号按量计收：共101页，累进计算收费720元。" {
		t.Error(s)
	}
}
