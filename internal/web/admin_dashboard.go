package web

import (
	"fmt"
	"net/http"
	"strconv"

	"gongkai/internal/org"
	"gongkai/internal/store"
)

// RolePanel is one role's part of the dashboard.
type RolePanel struct {
	Role  org.Role
	Title string // instead of the role's name, for a panel that is not a role's
	Unit  org.Unit
	Lines []string // what waits for this role, most urgent first
	Links []Crumb
}

// dashboard shows, per unit and role the user holds, what waits for them.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	p := s.page(w, r, "工作台")
	units, err := s.DB.Units(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]org.Unit{}
	for _, x := range units {
		byID[x.ID] = x
	}
	var panels []RolePanel
	for _, g := range u.Grants {
		rp := RolePanel{Role: g.Role, Unit: byID[g.UnitID]}
		switch g.Role {
		case org.RoleAdmin:
			users, err := s.DB.Users(ctx)
			if err != nil {
				return err
			}
			scope := map[int64]bool{}
			for _, id := range org.Descendants(units, g.UnitID) {
				scope[id] = true
			}
			n, locked := 0, 0
			for _, x := range users {
				if scope[x.UnitID] {
					n++
					if x.Disabled {
						locked++
					}
				}
			}
			rp.Lines = append(rp.Lines, itoa(len(scope))+" 个单位（含下级），"+itoa(n)+" 个账号，其中停用 "+itoa(locked)+" 个")
			rp.Links = []Crumb{{"用户管理", "/admin/users"}, {"单位与部门", "/admin/units"}, {"工作日历", "/admin/calendar"}, {"审计日志", "/admin/audit"}}
		case org.RoleEditor, org.RoleReviewer, org.RoleLegal:
			rp.Lines, rp.Links = s.publishPanel(r, g)
			if g.Role == org.RoleReviewer {
				// Reviewers also approve replies to web enquiries.
				if err := s.deskPanel(r, &rp, g.UnitID); err != nil {
					return err
				}
				if err := s.reviewScopePanel(r, &rp, g.UnitID); err != nil {
					return err
				}
			}
			if g.Role == org.RoleLegal {
				// The legal reviewer also reviews application answers.
				if err := s.requestsPanel(r, &rp, g); err != nil {
					return err
				}
			}
		case org.RoleHandler, org.RoleOfficeHead:
			if err := s.requestsPanel(r, &rp, g); err != nil {
				return err
			}
			if g.Role == org.RoleOfficeHead {
				if err := s.deskPanel(r, &rp, g.UnitID); err != nil {
					return err
				}
				if err := s.rectifyPanel(r, &rp, g.UnitID); err != nil {
					return err
				}
				if err := s.inspectPanel(r, &rp, g.UnitID); err != nil {
					return err
				}
				rp.Links = append(rp.Links, Crumb{"年度报告", "/admin/annual"})
			}
		case org.RoleStatistician:
			rp.Lines = append(rp.Lines, "由业务记录生成本单位的年度报告，预览、检查并发布；上传已发布的年度报告检查勾稽关系，导入历史年报用于跨年度检查。")
			rp.Links = []Crumb{{"年度报告", "/admin/annual"}, {"年度报告检查", "/admin/reports"}, {"工作日历", "/admin/calendar"}}
			if err := s.rectifyPanel(r, &rp, g.UnitID); err != nil {
				return err
			}
			if err := s.inspectPanel(r, &rp, g.UnitID); err != nil {
				return err
			}
		case org.RoleHotline:
			if err := s.deskPanel(r, &rp, g.UnitID); err != nil {
				return err
			}
		}
		if len(rp.Lines) == 0 {
			rp.Lines = append(rp.Lines, "暂无待办事项。")
			rp.Links = append(rp.Links, Crumb{"工作日历", "/admin/calendar"})
		}
		panels = append(panels, rp)
	}
	if rp, err := s.ownerPanel(r, u, byID[u.UnitID]); err != nil {
		return err
	} else if rp != nil {
		panels = append(panels, *rp)
	}
	board, err := s.reportBoard(r)
	if err != nil {
		return err
	}
	p.Data = map[string]any{"Panels": panels, "Reports": board}
	return s.render(w, "admin/dashboard", p)
}

// requestsPanel is the 依申请公开 part of a handler's, office head's or legal
// reviewer's panel: what waits for that role in the unit, counted from the
// applications' derived columns, each line linked to the list behind it.
func (s *Server) requestsPanel(r *http.Request, rp *RolePanel, g org.Grant) error {
	ctx := r.Context()
	u := userOf(r)
	unit := "&unit=" + strconv.FormatInt(g.UnitID, 10)
	count := func(f store.RequestFilter) ([]store.RequestApp, error) {
		f.UnitIDs, f.Open = []int64{g.UnitID}, true
		return s.DB.RequestApplications(ctx, f)
	}
	now := today().String()
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	soon, _ := cal.AddWorkdays(today(), 5, nil)
	tally := func(apps []store.RequestApp) (over, dueSoon, lapsed int) {
		for _, a := range apps {
			switch {
			case a.DueOn != "" && a.DueOn < now:
				over++
			case a.DueOn != "" && a.DueOn <= soon.Due.String():
				dueSoon++
			}
			if a.ConsultUntil != "" && a.ConsultUntil < now {
				lapsed++
			}
		}
		return
	}
	switch g.Role {
	case org.RoleHandler:
		mine, err := count(store.RequestFilter{Assignee: u.ID})
		if err != nil {
			return err
		}
		over, dueSoon, lapsed := tally(mine)
		rp.Lines = append(rp.Lines, fmt.Sprintf("我承办的办理中申请 %d 件：已超期 %d 件，5个工作日内到期 %d 件，征求意见期满未答复 %d 件。", len(mine), over, dueSoon, lapsed))
		free, err := count(store.RequestFilter{Assignee: store.Unassigned})
		if err != nil {
			return err
		}
		if len(free) > 0 {
			rp.Lines = append(rp.Lines, fmt.Sprintf("待分办的申请 %d 件，可以认领。", len(free)))
		}
		notes, err := s.DB.RequestNotifications(ctx, u.ID, 50)
		if err != nil {
			return err
		}
		unread := 0
		for _, n := range notes {
			if !n.Read {
				unread++
			}
		}
		if unread > 0 {
			rp.Lines = append(rp.Lines, fmt.Sprintf("未读的办理提醒 %d 条。", unread))
		}
		rp.Links = append(rp.Links, Crumb{"我的待办", "/admin/requests?view=mine" + unit}, Crumb{"待分办", "/admin/requests?view=unassigned" + unit},
			Crumb{"登记申请", "/admin/requests/new"})
	case org.RoleOfficeHead:
		free, err := count(store.RequestFilter{Assignee: store.Unassigned})
		if err != nil {
			return err
		}
		asked, err := count(store.RequestFilter{ExtensionAsked: true})
		if err != nil {
			return err
		}
		all, err := count(store.RequestFilter{})
		if err != nil {
			return err
		}
		over, dueSoon, _ := tally(all)
		rp.Lines = append(rp.Lines, fmt.Sprintf("待分办的申请 %d 件；承办人提请延期待您决定的 %d 件。", len(free), len(asked)),
			fmt.Sprintf("本单位办理中申请 %d 件：已超期 %d 件，5个工作日内到期 %d 件。", len(all), over, dueSoon))
		rp.Links = append(rp.Links, Crumb{"待分办", "/admin/requests?view=unassigned" + unit}, Crumb{"提请延期", "/admin/requests?view=extension" + unit},
			Crumb{"本单位全部", "/admin/requests?view=unit" + unit})
	case org.RoleLegal:
		pending, err := count(store.RequestFilter{ReviewPending: true})
		if err != nil {
			return err
		}
		rp.Lines = append(rp.Lines, fmt.Sprintf("待法制审核的依申请公开答复 %d 件。", len(pending)))
		rp.Links = append(rp.Links, Crumb{"待审核的答复", "/admin/requests?view=review" + unit})
	}
	return nil
}

// reviewScopePanel tells a reviewer whose drafts he reviews, so that one
// who sees nothing to review knows why.
func (s *Server) reviewScopePanel(r *http.Request, rp *RolePanel, unitID int64) error {
	_, _, note, err := s.reviewScope(r.Context(), userOf(r), unitID)
	if err != nil {
		return err
	}
	rp.Lines = append(rp.Lines, note)
	return nil
}
