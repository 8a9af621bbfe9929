package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func itoa(n int) string { return strconv.Itoa(n) }

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "记录不存在")
	}
	return id, nil
}

func actorOf(r *http.Request) audit.Actor {
	u := userOf(r)
	if u == nil {
		return audit.Public
	}
	return audit.Actor{UserID: u.ID, Name: u.Username, UnitID: u.UnitID}
}

// adminScope is the set of units the user administers: each unit where
// they hold the admin role, and every unit below it.
func (s *Server) adminScope(r *http.Request) (map[int64]bool, []org.Unit, error) {
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return nil, nil, err
	}
	scope := map[int64]bool{}
	for _, g := range userOf(r).Grants {
		if g.Role == org.RoleAdmin {
			for _, id := range org.Descendants(units, g.UnitID) {
				scope[id] = true
			}
		}
	}
	return scope, units, nil
}

func inScopeUnits(scope map[int64]bool, units []org.Unit) []org.TreeNode {
	var out []org.TreeNode
	for _, n := range org.Tree(units) {
		if scope[n.Unit.ID] {
			out = append(out, n)
		}
	}
	return out
}

// UserRow is a user in the list.
type UserRow struct {
	User       org.User
	Unit       string
	Department string
	Roles      []string
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	scope, units, err := s.adminScope(r)
	if err != nil {
		return err
	}
	users, err := s.DB.Users(ctx)
	if err != nil {
		return err
	}
	depts, err := s.DB.Departments(ctx, 0)
	if err != nil {
		return err
	}
	unitName := map[int64]string{}
	for _, u := range units {
		unitName[u.ID] = u.Name
	}
	deptName := map[int64]string{}
	for _, d := range depts {
		deptName[d.ID] = d.Name
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var rows []UserRow
	for _, u := range users {
		if !scope[u.UnitID] {
			continue
		}
		if q != "" && !strings.Contains(u.Username, q) && !strings.Contains(u.DisplayName, q) {
			continue
		}
		row := UserRow{User: u, Unit: unitName[u.UnitID], Department: deptName[u.DepartmentID]}
		for _, g := range u.Grants {
			label := g.Role.Label()
			if g.UnitID != u.UnitID {
				label += "（" + unitName[g.UnitID] + "）"
			}
			row.Roles = append(row.Roles, label)
		}
		rows = append(rows, row)
	}
	p := s.page(w, r, "用户管理")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"用户管理", ""}}
	p.Values = map[string]string{"q": q}
	p.Data = map[string]any{"Rows": rows}
	return s.render(w, "admin/users", p)
}

func (s *Server) userFormData(r *http.Request) (map[string]any, error) {
	scope, units, err := s.adminScope(r)
	if err != nil {
		return nil, err
	}
	depts, err := s.DB.Departments(r.Context(), 0)
	if err != nil {
		return nil, err
	}
	var inScope []org.Department
	for _, d := range depts {
		if scope[d.UnitID] {
			inScope = append(inScope, d)
		}
	}
	return map[string]any{"Units": inScopeUnits(scope, units), "Departments": inScope, "Roles": org.Roles}, nil
}

func (s *Server) userNewForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "新建账号")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"用户管理", "/admin/users"}, {"新建账号", ""}}
	data, err := s.userFormData(r)
	if err != nil {
		return err
	}
	p.Data = data
	return s.render(w, "admin/user_new", p)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	scope, _, err := s.adminScope(r)
	if err != nil {
		return err
	}
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	deptID, _ := strconv.ParseInt(r.PostFormValue("department"), 10, 64)
	u := org.User{
		Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		UnitID: unitID, DepartmentID: deptID, Email: r.PostFormValue("email"),
	}
	password := r.PostFormValue("password")
	for _, v := range r.PostForm["role"] {
		role, err := org.ParseRole(v)
		if err != nil {
			return err
		}
		u.Grants = append(u.Grants, org.Grant{UnitID: unitID, Role: role})
	}
	err = org.ValidateUser(&u, password)
	if err == nil && !scope[unitID] {
		err = errs.FieldError("unit", "您无权在该单位创建账号")
	}
	if err == nil {
		var hash string
		hash, err = auth.HashPassword(password, s.Auth.Policy.Params)
		if err == nil {
			err = s.DB.CreateUser(ctx, actorOf(r), &u, hash)
		}
	}
	if err != nil {
		p := s.page(w, r, "新建账号")
		p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"用户管理", "/admin/users"}, {"新建账号", ""}}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		data, derr := s.userFormData(r)
		if derr != nil {
			return derr
		}
		data["Checked"] = r.PostForm["role"]
		p.Data = data
		return s.render(w, "admin/user_new", p)
	}
	s.setFlash(w, "已创建账号 "+u.Username)
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}

// GrantCell is one checkbox of the roles grid.
type GrantCell struct {
	Role    org.Role
	Checked bool
}

// GrantRow is one unit's row of the roles grid.
type GrantRow struct {
	Node  org.TreeNode
	Cells []GrantCell
}

func (s *Server) loadUserInScope(r *http.Request) (org.User, map[int64]bool, []org.Unit, error) {
	id, err := pathID(r)
	if err != nil {
		return org.User{}, nil, nil, err
	}
	u, err := s.DB.User(r.Context(), id)
	if err != nil {
		return u, nil, nil, err
	}
	scope, units, err := s.adminScope(r)
	if err != nil {
		return u, nil, nil, err
	}
	if !scope[u.UnitID] {
		return u, nil, nil, errs.E(errs.Forbidden, "您无权管理该账号")
	}
	return u, scope, units, nil
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) error {
	u, scope, units, err := s.loadUserInScope(r)
	if err != nil {
		return err
	}
	var grid []GrantRow
	for _, n := range inScopeUnits(scope, units) {
		row := GrantRow{Node: n}
		for _, role := range org.Roles {
			row.Cells = append(row.Cells, GrantCell{Role: role, Checked: u.Has(role, n.Unit.ID)})
		}
		grid = append(grid, row)
	}
	p := s.page(w, r, "账号："+u.DisplayName)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"用户管理", "/admin/users"}, {u.DisplayName, ""}}
	var home org.Unit
	for _, x := range units {
		if x.ID == u.UnitID {
			home = x
		}
	}
	p.Data = map[string]any{"U": u, "Home": home, "Grid": grid, "Roles": org.Roles, "Self": u.ID == userOf(r).ID}
	return s.render(w, "admin/user_edit", p)
}

func (s *Server) userSetRoles(w http.ResponseWriter, r *http.Request) error {
	u, scope, _, err := s.loadUserInScope(r)
	if err != nil {
		return err
	}
	// Grants outside the admin's scope are kept as they are.
	var grants []org.Grant
	for _, g := range u.Grants {
		if !scope[g.UnitID] {
			grants = append(grants, g)
		}
	}
	for _, v := range r.PostForm["grant"] {
		unitStr, roleStr, ok := strings.Cut(v, ":")
		unitID, err := strconv.ParseInt(unitStr, 10, 64)
		if !ok || err != nil || !scope[unitID] {
			return errs.E(errs.Invalid, "授权数据不正确，请刷新页面后重试")
		}
		role, err := org.ParseRole(roleStr)
		if err != nil {
			return err
		}
		grants = append(grants, org.Grant{UnitID: unitID, Role: role})
	}
	if u.ID == userOf(r).ID {
		keeps := false
		for _, g := range grants {
			keeps = keeps || g.Role == org.RoleAdmin
		}
		if !keeps {
			return errs.E(errs.Invalid, "不能取消自己的系统管理员角色，以免无人可管理本系统")
		}
	}
	if err := s.DB.SetGrants(r.Context(), actorOf(r), u.ID, grants); err != nil {
		return err
	}
	s.setFlash(w, "已保存 "+u.DisplayName+" 的角色")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) error {
	u, _, _, err := s.loadUserInScope(r)
	if err != nil {
		return err
	}
	disable := r.PostFormValue("disabled") == "1"
	if disable && u.ID == userOf(r).ID {
		return errs.E(errs.Invalid, "不能停用自己的账号")
	}
	if err := s.DB.SetDisabled(r.Context(), actorOf(r), u.ID, disable); err != nil {
		return err
	}
	if disable {
		s.setFlash(w, "已停用账号 "+u.Username+"，其登录会话已全部失效")
	} else {
		s.setFlash(w, "已启用账号 "+u.Username)
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) error {
	u, _, _, err := s.loadUserInScope(r)
	if err != nil {
		return err
	}
	pw := r.PostFormValue("password")
	if err := org.ValidatePassword(pw); err != nil {
		s.setFlash(w, errs.MessageOf(err))
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
		return nil
	}
	hash, err := auth.HashPassword(pw, s.Auth.Policy.Params)
	if err != nil {
		return err
	}
	if err := s.DB.SetPassword(r.Context(), actorOf(r), u.ID, hash); err != nil {
		return err
	}
	s.setFlash(w, "已重置 "+u.Username+" 的密码，其原有登录会话已失效")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}
