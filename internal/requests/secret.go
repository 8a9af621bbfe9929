package requests

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// Privacy (issue: 申请人身份证件号码加密保存): identity numbers are sealed with
// AES-256-GCM under the data key; the query code given to an applicant is
// derived from the submission's idempotency token (so a repeated submission
// shows the same code) and only its hash is stored.

// DataKey is a 32-byte AES-256 key.
type DataKey [32]byte

// NewDataKey returns a fresh random key, encoded for storage.
func NewDataKey() string {
	var k DataKey
	rand.Read(k[:])
	return base64.StdEncoding.EncodeToString(k[:])
}

// ParseDataKey decodes a key given as base64 or hex of 32 bytes.
func ParseDataKey(s string) (DataKey, error) {
	var k DataKey
	s = strings.TrimSpace(s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		b, err = hex.DecodeString(s)
	}
	if err != nil || len(b) != 32 {
		return k, errors.New("数据密钥应为32字节（base64 或十六进制编码）")
	}
	copy(k[:], b)
	return k, nil
}

// Seal encrypts plaintext; the result is base64(nonce ‖ ciphertext).
func (k DataKey) Seal(plaintext string) string {
	g := k.gcm()
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(g.Seal(nonce, nonce, []byte(plaintext), nil))
}

// Open decrypts what Seal produced.
func (k DataKey) Open(sealed string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(sealed)
	g := k.gcm()
	if err != nil || len(b) < g.NonceSize() {
		return "", errors.New("密文格式错误")
	}
	p, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], nil)
	if err != nil {
		return "", errors.New("无法解密：数据密钥不符或密文已损坏")
	}
	return string(p), nil
}

func (k DataKey) gcm() cipher.AEAD {
	b, _ := aes.NewCipher(k[:]) // a 32-byte key cannot fail
	g, _ := cipher.NewGCM(b)
	return g
}

// queryAlphabet avoids look-alike characters (0/O, 1/I/L).
const queryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// QueryCode derives the applicant's private query code (12 characters)
// from the submission's idempotency token.
func (k DataKey) QueryCode(token string) string {
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte("query-code:" + token))
	sum := m.Sum(nil)
	var b strings.Builder
	for i := 0; i < 12; i++ {
		b.WriteByte(queryAlphabet[int(sum[i])%len(queryAlphabet)])
	}
	return b.String()
}

// HashQueryCode is what is stored of a query code.
func HashQueryCode(code string) string {
	s := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(s[:])
}

// ApplicantKey is the applicant's identity number under a keyed hash, so
// that applications by the same person or organisation can be found (重复申请,
// 大量反复 hints) without storing the number in a comparable clear form. The
// number was normalised by Application.Validate (upper case, no spaces); an
// empty number gives an empty key, which matches nothing.
func (k DataKey) ApplicantKey(idNumber string) string {
	idNumber = strings.ToUpper(strings.TrimSpace(idNumber))
	if idNumber == "" {
		return ""
	}
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte("applicant:" + idNumber))
	return hex.EncodeToString(m.Sum(nil))
}
