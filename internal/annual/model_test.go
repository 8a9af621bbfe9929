package annual

import (
	"encoding/json"
	"strings"
	"testing"
)

// The model marshals to gongkai.annual-report/v1 and back without loss: every
// golden document survives a round trip through Report.
func TestModelRoundTrip(t *testing.T) {
	for _, name := range []string{"fuzhou_customs_2024", "hongze_district_2023", "huaian_city_2024"} {
		src := readFile(t, name+".golden.json")
		var r Report
		if err := json.Unmarshal(src, &r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, want := canonical(t, jsonOf(t, r)), canonical(t, src); got != want {
			t.Errorf("%s: round trip differs:\n%s", name, diffLines(want, got))
		}
	}
}

func TestNewReportShape(t *testing.T) {
	b := string(jsonOf(t, NewReport()))
	for _, s := range []string{
		`"format":"gongkai.annual-report/v1"`,
		`"columns":["natural_person","commercial","research","public_interest","legal_services","other_org","total"]`,
		`"extra_rows":[]`,
		`"findings":[]`,
		`"fees_wan_yuan":null`,
		`"licensing_decisions":null`,
	} {
		if !strings.Contains(b, s) {
			t.Errorf("missing %s in %s", s, b)
		}
	}
	// Every row key, in printed order, null when not printed.
	var keys []string
	for _, spec := range Table3Rows {
		keys = append(keys, `"`+string(spec.Key)+`":null`)
	}
	if !strings.Contains(b, `"rows":{`+strings.Join(keys, ",")+`}`) {
		t.Errorf("rows not in printed order with nulls: %s", b)
	}
	if len(Table3Rows) != 25 {
		t.Errorf("%d standard rows, want 25", len(Table3Rows))
	}
}

func TestTable3SetGet(t *testing.T) {
	var t3 Table3
	t3.Set(RowReceived, ColTotal, 7)
	if got := t3.Get(RowReceived, ColTotal); got != N(7) {
		t.Errorf("Get = %+v", got)
	}
	if got := t3.Get(RowReceived, ColNaturalPerson); got.Valid {
		t.Errorf("an unset cell of a printed row is blank, got %+v", got)
	}
	if t3.Row(RowCarriedOver) != nil {
		t.Error("a row never set is not printed")
	}
	b := string(jsonOf(t, t3))
	if !strings.Contains(b, `"received":[null,null,null,null,null,null,7]`) || !strings.Contains(b, `"carried_over":null`) {
		t.Errorf("JSON %s", b)
	}
}

func TestCellJSON(t *testing.T) {
	var cs []Cell
	if err := json.Unmarshal([]byte(`[0, null, 12, -3]`), &cs); err != nil {
		t.Fatal(err)
	}
	if cs[0] != N(0) || cs[1].Valid || cs[2] != N(12) || cs[3] != N(-3) {
		t.Errorf("cells %+v", cs)
	}
	if got := string(jsonOf(t, cs)); got != "[0,null,12,-3]" {
		t.Errorf("marshal %s", got)
	}
	if err := json.Unmarshal([]byte(`[1.5]`), &cs); err == nil {
		t.Error("a decimal is not a count")
	}
}

func TestSpecLabels(t *testing.T) {
	for key, want := range map[RowKey]string{
		RowReceived:                "本年新收政府信息公开申请数量",
		RowPartlyDisclosed:         "部分公开",
		RowWithheldProhibitedByLaw: "其他法律行政法规禁止公开",
		RowOtherOther:              "其他",
	} {
		spec, ok := Spec(key)
		if !ok || spec.ShortLabel() != want {
			t.Errorf("%s: %q", key, spec.ShortLabel())
		}
	}
	if _, ok := Spec("nonsense"); ok {
		t.Error("unknown key")
	}
}
