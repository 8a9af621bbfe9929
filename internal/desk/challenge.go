package desk

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
)

// Abuse protection of the portal's forms (咨询, 留言, 问卷), with no
// third-party service and no JavaScript:
//
//   - a challenge: a small sum in words (「7 加 5 等于多少？」) whose answer
//     the server can check without keeping state: the form carries a token
//     holding the time it was issued, a random nonce and an HMAC of both and
//     of the answer under the server's secret. The token does not reveal the
//     answer. A form sent back sooner than MinFill after it was issued
//     (a script, not a person) or later than MaxAge is refused; each nonce is
//     accepted once (the store keeps used nonces until they expire).
//   - a rate limit per client: at most FormLimit submissions in FormWindow,
//     counted in the database under a keyed hash of the address (never the
//     address itself), so that it holds across server instances.
//   - a size limit: MaxFormBytes per request, and each field's own limit.

// Challenge policy.
const (
	MinFill      = 3 * time.Second
	MaxAge       = 2 * time.Hour
	FormLimit    = 10
	FormWindow   = time.Hour
	MaxFormBytes = 64 << 10
)

// Challenge is a question with the token that lets the server check it.
type Challenge struct {
	Question string
	Token    string
}

var digitNames = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
	"十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"}

// NewChallenge issues a challenge at now. It draws on crypto/rand.
func NewChallenge(secret []byte, now time.Time) Challenge {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("desk: crypto/rand failed: " + err.Error())
	}
	a, c := int(b[12]%20)+1, int(b[13]%10)+1
	var q string
	var ans int
	if b[14]%2 == 0 {
		q, ans = fmt.Sprintf("%s 加 %s 等于多少？", digitNames[a], digitNames[c]), a+c
	} else {
		if a < c {
			a, c = c, a
		}
		q, ans = fmt.Sprintf("%s 减 %s 等于多少？", digitNames[a], digitNames[c]), a-c
	}
	var payload [20]byte
	binary.BigEndian.PutUint64(payload[:8], uint64(now.Unix()))
	copy(payload[8:], b[:12])
	return Challenge{Question: q, Token: sign(secret, payload[:], ans)}
}

func sign(secret, payload []byte, answer int) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("gongkai desk challenge\x00"))
	m.Write(payload)
	m.Write([]byte(strconv.Itoa(answer)))
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// Errors of a challenge, each tied to the answer field.
var (
	ErrChallengeWrong   = errs.FieldError("answer", "计算题的答案不正确，请重新计算下面的题目")
	ErrChallengeFast    = errs.FieldError("answer", "提交过快：请确认填写内容无误后，再计算下面的题目并提交")
	ErrChallengeExpired = errs.FieldError("answer", "页面打开已超过 2 小时，请计算下面的新题目后再提交")
	ErrChallengeUsed    = errs.FieldError("answer", "该表单已提交过，请勿重复提交；如需再次提交，请计算下面的新题目")
)

// CheckChallenge verifies an answer against its token at now and returns
// the token's nonce, which the caller must record as used.
func CheckChallenge(secret []byte, token, answer string, now time.Time) (nonce string, err error) {
	p, sig, ok := strings.Cut(token, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	if !ok || err1 != nil || len(payload) != 20 {
		return "", ErrChallengeExpired
	}
	n, err := strconv.Atoi(normaliseDigits(answer))
	if err != nil || n < 0 {
		return "", ErrChallengeWrong
	}
	if !hmac.Equal([]byte(sign(secret, payload, n)), []byte(p+"."+sig)) {
		return "", ErrChallengeWrong
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(payload[:8])), 0)
	switch age := now.Sub(issued); {
	case age < MinFill:
		return "", ErrChallengeFast
	case age > MaxAge:
		return "", ErrChallengeExpired
	}
	return base64.RawURLEncoding.EncodeToString(payload[8:]), nil
}

// normaliseDigits accepts full-width digits and surrounding spaces.
func normaliseDigits(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '０' && r <= '９' {
			r = '0' + (r - '０')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ErrRateLimited is shown when a client has sent too many forms.
var ErrRateLimited = errs.E(errs.Invalid, "您提交得太频繁了：同一网络每小时最多提交 %d 次，请稍后再试", FormLimit)

// FormGuard is what a portal form submission must pass before it is
// stored: the challenge's nonce (used once) and the client's rate limit,
// counted under a keyed hash of its address (never the address itself).
// The store applies it in the transaction that stores the submission.
type FormGuard struct {
	ClientKey string
	Nonce     string
	Limit     int
	Window    time.Duration
}
