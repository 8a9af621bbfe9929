package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func kindOf(k string) desk.ImportKind { x, _ := desk.KindByKey(k); return x }

func TestDeskMediaOutreachFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		wb := desk.Account{UnitID: u.ID, Platform: "微博", Name: "福州海关12360"}
		wx := desk.Account{UnitID: u.ID, Platform: "微信公众号", Name: "福州海关12360"}
		for _, a := range []*desk.Account{&wb, &wx} {
			if err := db.CreateAccount(ctx, admin, a); err != nil {
				t.Fatal(err)
			}
		}
		dup := desk.Account{UnitID: u.ID, Platform: "weibo", Name: "福州海关12360"}
		var fe *errs.FormError
		if err := db.CreateAccount(ctx, admin, &dup); !errs.Is(err, errs.Invalid) {
			t.Fatalf("duplicate account: %v", err)
		}
		for i := 0; i < 3; i++ {
			p := desk.Post{AccountID: wb.ID, Kind: "post", Day: fmt.Sprintf("2024-03-%02d", i+1), Title: fmt.Sprint("政策解读", i)}
			if err := db.CreatePost(ctx, admin, &p); err != nil {
				t.Fatal(err)
			}
		}
		live := desk.Post{AccountID: wb.ID, Kind: "直播", Day: "2024-05-01", Title: "微直播：RCEP 原产地规则"}
		if err := db.CreatePost(ctx, admin, &live); err != nil {
			t.Fatal(err)
		}
		bad := desk.Post{AccountID: wb.ID, Kind: "post", Day: "2024-02-30", URL: "ftp://x"}
		if err := db.CreatePost(ctx, admin, &bad); !errors.As(err, &fe) || fe.Of("day") == "" || fe.Of("title") == "" || fe.Of("url") == "" {
			t.Fatalf("bad post: %v", err)
		}
		// Posts, a special column and followers from CSV; one row names an
		// account that is not registered.
		posts := "平台,账号,发布日期,类型,标题,专栏\n" +
			"微信公众号,福州海关12360,2024-04-01,,原产地证书（一）,原产地证书\n" +
			"微信公众号,福州海关12360,2024-04-08,,原产地证书（二）,原产地证书\n" +
			"抖音,福州海关,2024-04-09,,短视频,\n"
		res, err := db.ImportDesk(ctx, admin, u.ID, kindOf(desk.ImportPosts), "p.csv", desk.Suggest(kindOf(desk.ImportPosts), []string{"平台", "账号", "发布日期", "类型", "标题", "专栏"}), desk.ModeAll, opener(posts), 0, nil)
		if err != nil || res.State != desk.ImportRejected || res.Bad != 1 || res.Errors[0].Line != 4 || !strings.Contains(res.Errors[0].Reason, "尚未登记") {
			t.Fatalf("posts all-or-nothing: %+v %v", res, err)
		}
		res, err = db.ImportDesk(ctx, admin, u.ID, kindOf(desk.ImportPosts), "p.csv", desk.Suggest(kindOf(desk.ImportPosts), []string{"平台", "账号", "发布日期", "类型", "标题", "专栏"}), desk.ModeGood, opener(posts), 0, nil)
		if err != nil || res.Imported != 2 || res.Bad != 1 {
			t.Fatalf("posts: %+v %v", res, err)
		}
		fol := "平台,账号,日期,关注人数\n微信公众号,福州海关12360,2023-12-31,10000\n微信公众号,福州海关12360,2024-12-31,11400\n"
		res, err = db.ImportDesk(ctx, admin, u.ID, kindOf(desk.ImportFollowers), "f.csv", desk.Suggest(kindOf(desk.ImportFollowers), []string{"平台", "账号", "日期", "关注人数"}), desk.ModeGood, opener(fol), 0, nil)
		if err != nil || res.Imported != 2 {
			t.Fatalf("followers: %+v %v", res, err)
		}
		for _, o := range []desk.Outreach{
			{UnitID: u.ID, Kind: "press", Day: "2024-01-20", Title: "2023年外贸数据发布会"},
			{UnitID: u.ID, Kind: "press", Day: "2024-07-15", Title: "上半年外贸数据发布会"},
			{UnitID: u.ID, Kind: "outreach", Day: "2024-09-01", Title: "RCEP 政策宣讲", Enterprises: 420},
			{UnitID: u.ID, Kind: "outreach", Day: "2024-10-01", Title: "主动披露政策宣讲", Enterprises: 322},
		} {
			if err := db.CreateOutreach(ctx, admin, &o); err != nil {
				t.Fatal(err)
			}
		}
		s, err := db.SectionOneThree(ctx, []int64{u.ID}, 2024)
		if err != nil {
			t.Fatal(err)
		}
		c := s.Current
		if c.Platform("weibo").Posts != 3 || c.Lives != 1 || c.Platform("wechat").Posts != 2 || len(c.Columns) != 1 || c.Columns[0].Issues != 2 {
			t.Fatalf("media: %+v", c.Platforms)
		}
		if g := desk.GrowthOf(c.Platform("wechat").Followers, s.Previous.Platform("wechat").Followers); g.Plain() != "14%" {
			t.Fatalf("followers growth %s (%d / %d)", g, c.Platform("wechat").Followers, s.Previous.Platform("wechat").Followers)
		}
		// A year with no count recorded has no follower figure.
		if later, err := db.DeskFigures(ctx, []int64{u.ID}, 2025); err != nil || later.Platform("wechat").FollowersKnown {
			t.Fatalf("2025 followers: %+v %v", later.Platform("wechat"), err)
		}
		if c.PressConferences != 2 || c.OutreachEvents != 2 || c.Enterprises != 742 || desk.About(c.Enterprises) != "700余" {
			t.Fatalf("outreach: %+v", c)
		}
		evs, err := db.Outreach(ctx, []int64{u.ID}, 2024)
		if err != nil || len(evs) != 4 {
			t.Fatalf("outreach list: %v %v", evs, err)
		}
		pl, total, err := db.Posts(ctx, []int64{u.ID}, 2024, 10, 0)
		if err != nil || total != 6 || len(pl) != 6 {
			t.Fatalf("posts list: %d %v", total, err)
		}
	})
}

func TestDeskSurveyAndComplaints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUnit(t, db, 0, "fz", "福州海关")
		sv := desk.Survey{UnitID: u.ID, Title: "12360 热线服务调查问卷"}
		if err := db.CreateSurvey(ctx, admin, &sv); err != nil {
			t.Fatal(err)
		}
		if err := db.OpenSurvey(ctx, admin, sv.ID); !errs.Is(err, errs.Invalid) {
			t.Fatalf("open without questions: %v", err)
		}
		q1, _ := desk.ParseQuestion(desk.QSingle, "您对热线服务满意吗？", "满意\n一般\n不满意", true)
		q2, _ := desk.ParseQuestion(desk.QText, "您的建议", "", false)
		for _, q := range []*desk.Question{&q1, &q2} {
			if err := db.AddQuestion(ctx, admin, sv.ID, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.OpenSurvey(ctx, admin, sv.ID); err != nil {
			t.Fatal(err)
		}
		q3, _ := desk.ParseQuestion(desk.QText, "晚加的题", "", false)
		if err := db.AddQuestion(ctx, admin, sv.ID, &q3); !errs.Is(err, errs.Conflict) {
			t.Fatalf("question added to an open survey: %v", err)
		}
		full, err := db.Survey(ctx, sv.ID)
		if err != nil || len(full.Questions) != 2 || len(full.Questions[0].Options) != 3 {
			t.Fatalf("survey: %+v %v", full, err)
		}
		opt := func(i int) string { return fmt.Sprint(full.Questions[0].Options[i].ID) }
		for i, form := range []map[string][]string{
			{full.Questions[0].FieldName(): {opt(0)}, full.Questions[1].FieldName(): {"很好"}},
			{full.Questions[0].FieldName(): {opt(0)}},
			{full.Questions[0].FieldName(): {opt(2)}},
		} {
			ans, err := desk.ValidateResponse(full, form)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SubmitResponse(ctx, sv.ID, ans, guard("c", fmt.Sprint("s", i))); err != nil {
				t.Fatal(err)
			}
		}
		res, err := db.SurveyResults(ctx, sv.ID, 10)
		if err != nil || res[0].Answered != 3 || res[0].Counts[full.Questions[0].Options[0].ID] != 2 || res[0].Share(full.Questions[0].Options[0].ID) != "66.7%" ||
			res[1].TextN != 1 || res[1].Texts[0] != "很好" {
			t.Fatalf("results: %+v %v", res, err)
		}
		// A past answer must fall while the survey was open.
		if err := db.ImportSurveyResponses(ctx, admin, sv.ID, []desk.ResponseAt{{At: db.Now().AddDate(-1, 0, 0)}}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("answer before opening: %v", err)
		}
		if err := db.CloseSurvey(ctx, admin, sv.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SubmitResponse(ctx, sv.ID, nil, guard("c", "late")); !errs.Is(err, errs.Conflict) {
			t.Fatalf("answer to a closed survey: %v", err)
		}
		if open, _ := db.OpenSurveys(ctx, u.ID); len(open) != 0 {
			t.Fatal("closed survey still on the portal")
		}
		c := desk.Complaint{UnitID: u.ID, ReceivedOn: "2024-06-01", Channel: "信函", Subject: "未按期答复", Summary: "申请后超过二十个工作日未收到答复"}
		if err := db.CreateComplaint(ctx, admin, &c); err != nil {
			t.Fatal(err)
		}
		var fe *errs.FormError
		if err := db.ConcludeComplaint(ctx, admin, c.ID, "partly", "", "2024-05-01"); !errors.As(err, &fe) || fe.Of("concluded_on") == "" || fe.Of("outcome_note") == "" {
			t.Fatalf("bad conclusion: %v", err)
		}
		if err := db.ConcludeComplaint(ctx, admin, c.ID, "partly", "已向申请人说明并整改", "2024-06-20"); err != nil {
			t.Fatal(err)
		}
		if err := db.ConcludeComplaint(ctx, admin, c.ID, "partly", "再次", "2024-06-21"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("concluded twice: %v", err)
		}
		f, err := db.DeskFigures(ctx, []int64{u.ID}, 2024)
		if err != nil || f.ComplaintsReceived != 1 || f.ComplaintsConcluded != 1 || f.ComplaintOutcomes["partly"] != 1 || len(f.Surveys) != 0 {
			t.Fatalf("figures: %+v %v", f, err)
		}
		// The survey ran this year (the store's clock).
		f, err = db.DeskFigures(ctx, []int64{u.ID}, db.Now().In(desk.Shanghai).Year())
		if err != nil || len(f.Surveys) != 1 || f.SurveyResponses != 3 {
			t.Fatalf("survey figures: %+v %v", f.Surveys, err)
		}
		// Uploads and saved mappings.
		id, err := db.SaveDeskUpload(ctx, admin, u.ID, desk.ImportCDR, "a.csv", []byte("x,y\n"))
		if err != nil {
			t.Fatal(err)
		}
		up, err := db.DeskUpload(ctx, id)
		if err != nil || string(up.Content) != "x,y\n" || up.Name != "a.csv" {
			t.Fatalf("upload: %+v %v", up, err)
		}
		m := desk.SampleMapping()
		if err := db.SaveDeskMapping(ctx, admin, u.ID, desk.ImportCDR, "12360 系统", m); err != nil {
			t.Fatal(err)
		}
		m.Columns["agent"] = "工号"
		if err := db.SaveDeskMapping(ctx, admin, u.ID, desk.ImportCDR, "12360 系统", m); err != nil {
			t.Fatal(err)
		}
		ms, err := db.DeskMappings(ctx, u.ID, desk.ImportCDR)
		if err != nil || len(ms) != 1 || ms[0].Mapping.Columns["agent"] != "工号" {
			t.Fatalf("mappings: %+v %v", ms, err)
		}
	})
}
