package web

import (
	"net/http"

	"gongkai/internal/org"
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
		case org.RoleOfficeHead:
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
		default:
			rp.Lines = append(rp.Lines, "暂无待办事项。")
			rp.Links = []Crumb{{"工作日历", "/admin/calendar"}}
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
