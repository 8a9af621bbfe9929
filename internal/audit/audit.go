// Package audit defines the append-only, hash-chained audit log (审计日志).
//
// Every state change in gongkai records who did it, when, in which unit,
// what was done, and the values before and after. Each entry carries the hash
// of the entry before it, so that editing or deleting any entry breaks the
// chain, and Verify finds the first entry where it breaks. The store appends
// entries in the same transaction as the change they describe.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Actor is whoever causes a change: a logged-in staff member, a citizen on
// the portal, or the system itself (a CLI command, a background job).
type Actor struct {
	UserID int64  // 0 for the public or the system
	Name   string // shown in the log: a username, "公众", "系统(cli)"
	UnitID int64  // the unit acted in, 0 when none
}

// System is the actor for changes made by the command line or by jobs.
func System(what string) Actor { return Actor{Name: "系统(" + what + ")"} }

// Public is the actor for changes made by an anonymous portal visitor.
var Public = Actor{Name: "公众"}

// GenesisHash is the previous-hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one audit record.
type Entry struct {
	Seq        int64     // 1, 2, 3, … without gaps
	At         time.Time // UTC, microsecond precision
	ActorID    int64
	ActorName  string
	UnitID     int64
	Action     string // e.g. "user.create", "unit.create", "calendar.import"
	ObjectType string // e.g. "user"
	ObjectID   string
	Before     string // JSON, or "" when there was nothing before
	After      string // JSON, or "" when the object is gone
	PrevHash   string
	Hash       string
}

// Change describes a state change about to be appended.
type Change struct {
	Action     string
	ObjectType string
	ObjectID   string
	Before     any // marshalled to JSON; nil for none
	After      any
}

// JSON marshals v for the Before/After columns; nil gives "".
func JSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: marshal value: %w", err)
	}
	return string(b), nil
}

// ComputeHash returns the hash of e chained to e.PrevHash. Every field but
// Hash is covered, each length-prefixed so that no two entries can collide by
// moving text between fields.
func ComputeHash(e Entry) string {
	h := sha256.New()
	field := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	field(e.PrevHash)
	field(strconv.FormatInt(e.Seq, 10))
	field(e.At.UTC().Format("2006-01-02T15:04:05.000000Z"))
	field(strconv.FormatInt(e.ActorID, 10))
	field(e.ActorName)
	field(strconv.FormatInt(e.UnitID, 10))
	field(e.Action)
	field(e.ObjectType)
	field(e.ObjectID)
	field(e.Before)
	field(e.After)
	return hex.EncodeToString(h.Sum(nil))
}

// Verifier checks entries one at a time, in sequence order.
type Verifier struct {
	prev  string
	next  int64
	Count int64
}

// NewVerifier starts a verification at the beginning of the log.
func NewVerifier() *Verifier { return &Verifier{prev: GenesisHash, next: 1} }

// Check verifies the next entry and reports the first inconsistency in
// plain Chinese: a gap, a broken link, or an entry whose content changed.
func (v *Verifier) Check(e Entry) error {
	switch {
	case e.Seq != v.next:
		return fmt.Errorf("审计日志第 %d 条缺失或顺序被改动（读到第 %d 条）", v.next, e.Seq)
	case e.PrevHash != v.prev:
		return fmt.Errorf("审计日志第 %d 条的前序哈希与第 %d 条不符：日志链已断开", e.Seq, e.Seq-1)
	case ComputeHash(e) != e.Hash:
		return fmt.Errorf("审计日志第 %d 条（%s，%s）的内容与其哈希不符：该条已被篡改", e.Seq, e.Action, e.At.Format("2006-01-02 15:04:05"))
	}
	v.prev, v.next = e.Hash, e.Seq+1
	v.Count++
	return nil
}

// Head reports the hash of the last verified entry.
func (v *Verifier) Head() string { return v.prev }

// Describe renders an entry in one line for lists.
func Describe(e Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s %s %s:%s", e.Seq, e.At.Local().Format("2006-01-02 15:04:05"), e.ActorName, e.Action, e.ObjectType, e.ObjectID)
	return b.String()
}
