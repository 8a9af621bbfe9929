package demo_test

import (
	"context"
	"testing"
	"time"

	"gongkai/internal/auth"
	"gongkai/internal/demo"
	"gongkai/internal/desk"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The demo's desk year reproduces section 一（三） of the seed report, from
// records, on both engines.
func TestDemoDeskFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Now()
		if err := demo.Load(ctx, db, demo.Generate(1), auth.Params{Memory: 1024, Time: 1, Threads: 1}); err != nil {
			t.Fatal(err)
		}
		t.Logf("demo loaded in %s", time.Since(start))
		u, err := db.UnitByCode(ctx, demo.SiteUnit)
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.SectionOneThree(ctx, []int64{u.ID}, demo.DeskYear)
		if err != nil {
			t.Fatal(err)
		}
		c, p := s.Current, s.Previous
		got := map[string]string{
			"接听":    itoa(c.CallsAnswered),
			"接通率":   c.Connection.String(),
			"满意度":   c.Satisfaction.String(),
			"咨询":    itoa(c.Consult.Handled),
			"留言":    itoa(c.Message.Handled),
			"时效":    c.Message.AvgDays.String(),
			"访问量增长": desk.GrowthOf(c.PageViews, p.PageViews).String(),
			"微博":    itoa(c.Platform("weibo").Posts),
			"公众号":   itoa(c.Platform("wechat").Posts),
			"微直播":   itoa(c.Lives),
			"关注增长":  desk.GrowthOf(c.Platform("wechat").Followers, p.Platform("wechat").Followers).Plain(),
			"发布会":   itoa(c.PressConferences),
			"覆盖企业":  desk.About(c.Enterprises),
			"投诉":    itoa(c.ComplaintsReceived),
		}
		want := map[string]string{
			"接听": "10289", "接通率": "99.3%", "满意度": "99.89", "咨询": "471", "留言": "229", "时效": "0.75", "访问量增长": "+16.9%",
			"微博": "255", "公众号": "359", "微直播": "6", "关注增长": "14%", "发布会": "2", "覆盖企业": "700余", "投诉": "0",
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s = %s, want %s", k, got[k], w)
			}
		}
		var col int64
		for _, cf := range c.Columns {
			if cf.Column == "原产地证书" {
				col = cf.Issues
			}
		}
		if col != 13 {
			t.Errorf("原产地证书专栏 %d 期, want 13", col)
		}
		// The questionnaires run now.
		now, err := db.DeskFigures(ctx, []int64{u.ID}, db.Now().In(desk.Shanghai).Year())
		if err != nil || len(now.Surveys) != 2 || now.SurveyResponses != 84 {
			t.Errorf("surveys: %+v %v", now.Surveys, err)
		}
	})
}

func itoa(n int64) string { return fmtInt(n) }

func fmtInt(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}
