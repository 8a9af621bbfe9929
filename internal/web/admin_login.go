package web

import (
	"net/http"

	"gongkai/internal/auth"
	"gongkai/internal/errs"
)

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if userOf(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	p := s.page(w, r, "工作人员登录")
	p.Values = map[string]string{"next": r.URL.Query().Get("next")}
	return s.render(w, "admin/login", p)
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	p := s.page(w, r, "工作人员登录")
	var f errs.Fields
	if username == "" {
		f.Add("username", "请输入用户名")
	}
	if password == "" {
		f.Add("password", "请输入密码")
	}
	err := f.Err()
	if err == nil {
		var token string
		token, _, err = s.Auth.Login(r.Context(), username, password, auth.ClientKey(s.Config.Secret, clientAddr(r)))
		if err == nil {
			s.setCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
			http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
			return nil
		}
	}
	if errs.CodeOf(err) == errs.Unauthorized {
		p.Error = errs.MessageOf(err)
		p.Values = map[string]string{"username": username, "next": r.PostFormValue("next")}
		return s.renderStatus(w, http.StatusUnauthorized, "admin/login", p)
	}
	if ferr := formError(p, r, err); ferr != nil {
		return ferr
	}
	return s.render(w, "admin/login", p)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.setCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	s.setFlash(w, "您已安全退出")
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}
