package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// maxCalendarUpload bounds an imported calendar file; a year's notice is a
// few hundred bytes.
const maxCalendarUpload = 256 << 10

// calendarPage shows the year's holiday entries, the import form (for
// administrators) and a deadline calculator that explains itself.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCalendar(w, r, nil, "")
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, importErr error, importText string) error {
	ctx := r.Context()
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	year := calendar.Today(shanghai).Year()
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	var entries []calendar.Entry
	for _, e := range cal.Entries() {
		if e.Start.Year() == year || e.End.Year() == year {
			entries = append(entries, e)
		}
	}
	p := s.page(w, r, "工作日历")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"工作日历", ""}}
	data := map[string]any{
		"Year": year, "Prev": year - 1, "Next": year + 1, "Entries": entries, "Covered": cal.Covers(year),
		"Years": cal.Years(), "IsAdmin": userOf(r).HasAnywhere(org.RoleAdmin), "ImportText": importText,
	}
	p.Values = map[string]string{"from": q.Get("from"), "workdays": q.Get("workdays")}
	if q.Get("from") != "" || q.Get("workdays") != "" {
		res, ferr := calculateDue(cal, q.Get("from"), q.Get("workdays"))
		if ferr != nil {
			if e := formError(p, r, ferr); e != nil {
				return e
			}
			p.Values = map[string]string{"from": q.Get("from"), "workdays": q.Get("workdays")}
		} else {
			data["Result"] = res
			data["Explain"] = res.Explain()
		}
	}
	if importErr != nil {
		p.Error = errs.MessageOf(importErr)
		data["ImportError"] = strings.Split(p.Error, "\n")
	}
	p.Data = data
	return s.render(w, "admin/calendar", p)
}

func calculateDue(cal *calendar.Calendar, fromS, nS string) (calendar.Result, error) {
	var f errs.Fields
	from, err := calendar.ParseDate(strings.TrimSpace(fromS))
	if err != nil {
		f.Add("from", "收到日期格式应为 YYYY-MM-DD")
	}
	n, err := strconv.Atoi(strings.TrimSpace(nS))
	if err != nil || n < 1 || n > 366 {
		f.Add("workdays", "工作日数应为 1–366 之间的整数")
	}
	if err := f.Err(); err != nil {
		return calendar.Result{}, err
	}
	return cal.AddWorkdays(from, n, nil)
}

// calendarImport adds the next year's holiday arrangement, from an uploaded
// file or pasted text in the import format.
func (s *Server) calendarImport(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxCalendarUpload+4096)
	var text []byte
	source := "网页粘贴"
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		text, err = io.ReadAll(io.LimitReader(f, maxCalendarUpload+1))
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "读取上传文件失败")
		}
		source = hdr.Filename
	}
	if len(bytes.TrimSpace(text)) == 0 {
		text = []byte(r.PostFormValue("text"))
	}
	if len(text) > maxCalendarUpload {
		return s.renderCalendar(w, r, errs.E(errs.Invalid, "文件过大：日历文件不应超过 256 KB"), "")
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return s.renderCalendar(w, r, errs.E(errs.Invalid, "请上传日历文件或粘贴日历条目"), "")
	}
	entries, err := calendar.ParseEntries(bytes.NewReader(text))
	changed := 0
	if err == nil {
		changed, err = s.DB.ImportCalendar(r.Context(), actorOf(r), entries, source+" "+time.Now().In(shanghai).Format("2006-01-02 15:04"))
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Internal && !strings.Contains(err.Error(), "第") {
			return err
		}
		return s.renderCalendar(w, r, errs.Wrap(errs.Invalid, err, "%s", err.Error()), string(text))
	}
	msg := "已导入 " + strconv.Itoa(len(entries)) + " 条日历条目，期限按新日历计算"
	if changed > 0 {
		msg += "；已重新计算 " + strconv.Itoa(changed) + " 件办理中申请的答复期限"
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/calendar?year="+strconv.Itoa(entries[0].Start.Year()), http.StatusSeeOther)
	return nil
}
