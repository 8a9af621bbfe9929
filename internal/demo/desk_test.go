package demo_test

import (
	"context"
	"strings"
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
		// The two questionnaires of the seed ran in the report year; the
		// website's is still open on the portal now.
		if len(c.Surveys) != 2 || c.SurveyResponses != 84 || c.Surveys[0].Title != "12360 热线服务调查问卷" {
			t.Errorf("surveys: %+v", c.Surveys)
		}
		if n := s.NarrativeOversight(); !strings.Contains(n, "《12360 热线服务调查问卷》《福州海关门户网站调查问卷》") || !strings.Contains(n, "年内未收到政府信息公开相关投诉事项") {
			t.Errorf("oversight narrative: %s", n)
		}
		if open, err := db.OpenSurveys(ctx, u.ID); err != nil || len(open) != 1 || open[0].Title != "福州海关门户网站调查问卷" {
			t.Errorf("open surveys: %+v %v", open, err)
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
