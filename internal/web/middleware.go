package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"

	"gongkai/internal/auth"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// handler is an HTTP handler that returns an error, turned into a response
// by serveError.
type handler func(w http.ResponseWriter, r *http.Request) error

var errNotFoundPage = errs.E(errs.NotFound, "您访问的页面不存在")

const (
	sessionCookie = "gk_session"
	csrfCookie    = "gk_csrf" // before login, a double-submit token
	flashCookie   = "gk_flash"
	displayCookie = "gk_display"
)

// public serves a page anyone may see. A staff member who is logged in is
// still recognised, so the header can offer the back office; the forms
// such a page shows carry the session's token, which a POST must return
// (without a session, the double-submit token, checked by s.csrf).
func (s *Server) public(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The form is parsed on the request the server was given, so that
		// the server removes the temporary files of a large upload when the
		// request ends (it does not for a copy made by WithContext).
		if r.Method == http.MethodPost {
			if err := parseForm(r); err != nil {
				s.serveError(w, r, err)
				return
			}
		}
		var sess *auth.Session
		if c, err := r.Cookie(sessionCookie); err == nil {
			if se, err := s.Auth.Authenticate(r.Context(), c.Value); err == nil {
				if u, err := s.DB.User(r.Context(), se.UserID); err == nil && !u.Disabled {
					sess = &se
					ctx := context.WithValue(r.Context(), userKey, &u)
					ctx = context.WithValue(ctx, sessionKey, sess)
					r = r.WithContext(ctx)
				}
			}
		}
		if r.Method == http.MethodPost && r.URL.Path != "/admin/login" {
			var err error
			if sess != nil {
				err = auth.CheckCSRF(sess.CSRF, r.PostFormValue("csrf"))
			} else if c, cerr := r.Cookie(csrfCookie); cerr != nil {
				err = auth.ErrCSRF
			} else {
				err = auth.CheckCSRF(c.Value, r.PostFormValue("csrf"))
			}
			if err != nil {
				s.serveError(w, r, err)
				return
			}
		}
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// staff serves a back-office page: it requires a valid session.
func (s *Server) staff(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Parsed here, on the server's own request, as in public; a body
		// over its bound gets its own message, not a token failure.
		if r.Method == http.MethodPost {
			if err := parseForm(r); err != nil {
				s.serveError(w, r, err)
				return
			}
		}
		c, err := r.Cookie(sessionCookie)
		var sess auth.Session
		if err == nil {
			sess, err = s.Auth.Authenticate(r.Context(), c.Value)
		}
		if err != nil {
			if code := errs.CodeOf(err); code != errs.Unauthorized && err != http.ErrNoCookie {
				s.serveError(w, r, err)
				return
			}
			msg := "请先登录"
			if err == auth.ErrExpired {
				msg = errs.MessageOf(err)
			}
			s.setFlash(w, msg)
			http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		u, err := s.DB.User(r.Context(), sess.UserID)
		if err != nil || u.Disabled {
			s.Auth.Logout(r.Context(), c.Value)
			s.setFlash(w, "账号不可用，请重新登录")
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		ctx := context.WithValue(r.Context(), userKey, &u)
		ctx = context.WithValue(ctx, sessionKey, &sess)
		r = r.WithContext(ctx)
		if r.Method == http.MethodPost {
			if err := auth.CheckCSRF(sess.CSRF, r.PostFormValue("csrf")); err != nil {
				s.serveError(w, r, err)
				return
			}
		}
		// The route's action in the access policy (routes_policy.go).
		if err := mayOpen(r, &u); err != nil {
			s.serveError(w, r, err)
			return
		}
		if r.Method == http.MethodPost {
			// What this POST changed is on this instance's public pages
			// before its answer goes out (the others see it within a poll).
			w = &pollBeforeWrite{ResponseWriter: w, poll: func() { s.refreshPortal(r.Context()) }}
		}
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// admin serves a page for administrators: a staff page that also needs the
// admin role in some unit.
func (s *Server) admin(h handler) http.Handler {
	return s.staff(func(w http.ResponseWriter, r *http.Request) error {
		if !userOf(r).HasAnywhere(org.RoleAdmin) {
			return errs.E(errs.Forbidden, "此页面仅限系统管理员使用")
		}
		return h(w, r)
	})
}

// csrf checks the double-submit token on state-changing requests that have
// no session (the login form and public forms). Requests with a session are
// checked against the session's own token in s.staff.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if _, err := r.Cookie(sessionCookie); err != nil || r.URL.Path == "/admin/login" {
				if err := parseForm(r); err != nil {
					s.serveError(w, r, err)
					return
				}
				c, err := r.Cookie(csrfCookie)
				if err != nil || auth.CheckCSRF(c.Value, r.PostFormValue("csrf")) != nil {
					s.serveError(w, r, auth.ErrCSRF)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Request bodies are bounded before anything reads them: every body by
// maxRequestBody (above every upload form's own limit), the portal's
// application form by maxApplyBody (its fields and requests.MaxAttachments
// files of requests.MaxAttachmentBytes), the back office's batch audit by
// maxBatchBody (a folder or a zip of hundreds of reports). Routes with
// smaller uploads bound them again (limitBody).
const (
	maxRequestBody = 48 << 20
	maxApplyBody   = requests.MaxAttachments*requests.MaxAttachmentBytes + 1<<20
	maxBatchBody   = maxBatchUpload + 1<<20
	// multipartMemory is what a multipart form keeps in memory; larger
	// files go to temporary files, which the server removes when the
	// request ends — for the request it was given, so the form is always
	// parsed on that one (parseForm in s.csrf, s.public and s.staff).
	multipartMemory = 8 << 20
)

func bodyLimitOf(r *http.Request) int64 {
	switch r.URL.Path {
	case "/column/apply", "/column/apply/correct":
		return maxApplyBody
	case batchUploadPath:
		return maxBatchBody
	}
	return maxRequestBody
}

// bodyLimit refuses a declared length over the bound with one clear
// sentence and caps what is read of any other body.
func (s *Server) bodyLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			n := bodyLimitOf(r)
			if r.ContentLength > n {
				s.serveError(w, r, tooLarge(n))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge(n int64) error {
	return errs.E(errs.Invalid, "提交的内容过大（不超过 %d MB），请减少或压缩附件后重试。", n>>20)
}

// parseForm parses a url-encoded or multipart form once, turning a body
// over its bound into the same clear sentence.
func parseForm(r *http.Request) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if r.MultipartForm != nil {
			return nil
		}
		err = r.ParseMultipartForm(multipartMemory)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(mbe.Limit)
	}
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "提交的表单格式不正确，请重新提交。")
	}
	return nil
}

// preCSRF returns the double-submit token for a form shown before login,
// setting its cookie when absent.
func (s *Server) preCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := auth.NewToken()
	s.setCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return tok
}

// contentSecurityPolicy is the policy of every page (and of the static
// export's nginx configuration).
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.serveError(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusOf maps an error's code to its HTTP status: the one place it is done.
func statusOf(err error) int {
	switch errs.CodeOf(err) {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// serveError renders an error page with the error's public message; the
// details of internal errors go to the log only.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status >= 500 {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := s.page(w, r, "出错了")
	p.Data = map[string]any{"Status": status, "Message": errs.MessageOf(err)}
	layout := "portal"
	if strings.HasPrefix(r.URL.Path, "/admin") {
		layout = "admin"
	}
	s.renderStatus(w, status, layout+"/error", p)
}

// setFlash leaves a one-line message for the next page.
func (s *Server) setFlash(w http.ResponseWriter, msg string) {
	s.setCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// setCookie sets a cookie of this site: every one is Secure under
// --secure-cookies (the server behind HTTPS).
func (s *Server) setCookie(w http.ResponseWriter, c *http.Cookie) {
	c.Secure = s.Config.SecureCookies
	http.SetCookie(w, c)
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	s.setCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}

// clientAddr is the peer address without port; it is hashed before use.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/admin/"
	}
	return next
}
