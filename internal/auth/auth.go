// Package auth logs staff in and keeps their sessions.
//
// Sessions live in the database, so that any number of server instances can
// serve the same users. A session token is random; only its SHA-256 is
// stored. Each session has its own CSRF token, which every state-changing
// request must echo. Login is throttled per account (lockout after repeated
// failures) and per client (a cap on attempts in a window), both in the
// database for the same reason.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// Session is a logged-in staff member's session.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
}

// Account is what login needs to know of a user.
type Account struct {
	User         org.User
	PasswordHash string
	FailedLogins int
	LockedUntil  time.Time
}

// Store keeps sessions and login counters.
type Store interface {
	// Account returns the account by username, errs.NotFound if none.
	Account(ctx context.Context, username string) (Account, error)
	// LoginFailed records a failed password for the user and locks the
	// account until lockUntil when it is non-zero.
	LoginFailed(ctx context.Context, userID int64, lockUntil time.Time) (failures int, err error)
	// LoginSucceeded clears the failure counter.
	LoginSucceeded(ctx context.Context, userID int64) error
	// ClientFailures counts the failed logins from a client key since the
	// window's start.
	ClientFailures(ctx context.Context, key string, since time.Time) (int, error)
	// RecordClientFailure records a failed login from a client key at the
	// given time (and forgets those long before since).
	RecordClientFailure(ctx context.Context, key string, at, since time.Time) error

	CreateSession(ctx context.Context, s Session) error
	// Session returns the session and touches its last-seen time.
	TouchSession(ctx context.Context, tokenHash string, now time.Time) (Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	// DeleteSessionsIdleSince removes sessions idle since the given time.
	DeleteSessionsIdleSince(ctx context.Context, t time.Time) (int64, error)
}

// Policy holds the login and session settings.
type Policy struct {
	MaxFailures     int           // failed passwords before the account locks
	LockFor         time.Duration // how long it stays locked
	ClientAttempts  int           // failed attempts from one client per window (successful logins do not count)
	ClientWindow    time.Duration
	IdleTimeout     time.Duration // a session unused this long expires
	AbsoluteTimeout time.Duration // a session expires this long after login whatever its use
	Params          Params
}

// DefaultPolicy is the policy a fresh installation runs with.
var DefaultPolicy = Policy{
	MaxFailures:     5,
	LockFor:         15 * time.Minute,
	ClientAttempts:  30,
	ClientWindow:    10 * time.Minute,
	IdleTimeout:     30 * time.Minute,
	AbsoluteTimeout: 12 * time.Hour,
	Params:          DefaultParams,
}

// Service applies the policy over a Store.
type Service struct {
	Store  Store
	Policy Policy
	Now    func() time.Time
}

// ErrBadCredentials is the one message for an unknown user or a wrong
// password, so that the login form does not reveal which usernames exist.
var ErrBadCredentials = errs.E(errs.Unauthorized, "用户名或密码错误")

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Login checks the credentials and opens a session. clientKey identifies the
// client for throttling (a hash of its address; never the raw address). It
// returns the session token to set in the cookie.
//
// Only failures count against the client's cap: an office behind one
// address logs in every morning without locking itself out, while a client
// guessing passwords across accounts is stopped after ClientAttempts
// failures in ClientWindow (the per-account lockout stays as it was).
func (s *Service) Login(ctx context.Context, username, password, clientKey string) (token string, sess Session, err error) {
	now := s.now()
	key, since := "client:"+clientKey, now.Add(-s.Policy.ClientWindow)
	n, err := s.Store.ClientFailures(ctx, key, since)
	if err != nil {
		return "", Session{}, err
	}
	if n >= s.Policy.ClientAttempts {
		return "", Session{}, errs.E(errs.Unauthorized, "登录尝试过于频繁，请 %d 分钟后再试", int(s.Policy.ClientWindow.Minutes()))
	}
	token, sess, err = s.login(ctx, now, username, password)
	if errs.Is(err, errs.Unauthorized) {
		if ferr := s.Store.RecordClientFailure(ctx, key, now, since); ferr != nil {
			return "", Session{}, ferr
		}
	}
	return token, sess, err
}

func (s *Service) login(ctx context.Context, now time.Time, username, password string) (token string, sess Session, err error) {
	acc, err := s.Store.Account(ctx, strings.TrimSpace(username))
	if errs.Is(err, errs.NotFound) {
		CheckPassword(dummyHash, password)
		return "", Session{}, ErrBadCredentials
	}
	if err != nil {
		return "", Session{}, err
	}
	if acc.User.Disabled {
		CheckPassword(dummyHash, password)
		return "", Session{}, errs.E(errs.Unauthorized, "该账号已停用，请联系系统管理员")
	}
	if now.Before(acc.LockedUntil) {
		mins := int(acc.LockedUntil.Sub(now).Minutes()) + 1
		return "", Session{}, errs.E(errs.Unauthorized, "密码连续错误次数过多，账号已锁定，请 %d 分钟后再试", mins)
	}
	if !CheckPassword(acc.PasswordHash, password) {
		var lockUntil time.Time
		if acc.FailedLogins+1 >= s.Policy.MaxFailures {
			lockUntil = now.Add(s.Policy.LockFor)
		}
		if _, err := s.Store.LoginFailed(ctx, acc.User.ID, lockUntil); err != nil {
			return "", Session{}, err
		}
		if !lockUntil.IsZero() {
			return "", Session{}, errs.E(errs.Unauthorized, "密码连续错误 %d 次，账号已锁定 %d 分钟", s.Policy.MaxFailures, int(s.Policy.LockFor.Minutes()))
		}
		return "", Session{}, ErrBadCredentials
	}
	if err := s.Store.LoginSucceeded(ctx, acc.User.ID); err != nil {
		return "", Session{}, err
	}
	token = randomToken()
	sess = Session{TokenHash: HashToken(token), UserID: acc.User.ID, CSRF: randomToken(), CreatedAt: now, LastSeen: now}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", Session{}, err
	}
	return token, sess, nil
}

// ErrNoSession means the request carries no valid session.
var ErrNoSession = errs.E(errs.Unauthorized, "请先登录")

// ErrExpired means the session expired from idleness or age.
var ErrExpired = errs.E(errs.Unauthorized, "长时间未操作，登录已过期，请重新登录")

// Authenticate resolves a session token, enforcing the idle and absolute
// timeouts, and touches the session.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrNoSession
	}
	now := s.now()
	h := HashToken(token)
	sess, err := s.Store.TouchSession(ctx, h, now)
	if errs.Is(err, errs.NotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, err
	}
	if now.Sub(sess.LastSeen) > s.Policy.IdleTimeout || now.Sub(sess.CreatedAt) > s.Policy.AbsoluteTimeout {
		if err := s.Store.DeleteSession(ctx, h); err != nil {
			return Session{}, err
		}
		return Session{}, ErrExpired
	}
	return sess, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteSession(ctx, HashToken(token))
}

// HashToken is what is stored for a session token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ClientKey turns a client address into a throttling key that does not
// keep the address itself.
func ClientKey(secret, addr string) string {
	sum := sha256.Sum256([]byte(secret + "|" + addr))
	return hex.EncodeToString(sum[:12])
}

// CheckCSRF compares a submitted token with the expected one in constant time.
func CheckCSRF(expected, got string) error {
	if expected == "" || subtle.ConstantTimeCompare([]byte(expected), []byte(got)) != 1 {
		return ErrCSRF
	}
	return nil
}

// ErrCSRF is returned when a form lacks the right CSRF token.
var ErrCSRF = errs.E(errs.Forbidden, "表单已过期或来源不明，请刷新页面后重新提交")

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("auth: crypto/rand failed: " + err.Error()))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewToken returns a fresh random token (for CSRF cookies before login).
func NewToken() string { return randomToken() }
