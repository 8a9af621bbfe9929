package audit

import (
	"strings"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	prev := GenesisHash
	for i := 1; i <= n; i++ {
		e := Entry{Seq: int64(i), At: time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC), ActorName: "admin",
			Action: "user.create", ObjectType: "user", ObjectID: "1", After: `{"name":"x"}`, PrevHash: prev}
		e.Hash = ComputeHash(e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []Entry) error {
	v := NewVerifier()
	for _, e := range es {
		if err := v.Check(e); err != nil {
			return err
		}
	}
	return nil
}

func TestVerify(t *testing.T) {
	if err := verify(chain(5)); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	tampered := chain(5)
	tampered[2].After = `{"name":"y"}`
	if err := verify(tampered); err == nil || !strings.Contains(err.Error(), "第 3 条") {
		t.Fatalf("tampered content not caught: %v", err)
	}
	deleted := chain(5)
	deleted = append(deleted[:1], deleted[2:]...)
	if err := verify(deleted); err == nil || !strings.Contains(err.Error(), "第 2 条缺失") {
		t.Fatalf("deleted entry not caught: %v", err)
	}
	rehashed := chain(5)
	rehashed[1].ActorName = "mallory"
	rehashed[1].Hash = ComputeHash(rehashed[1])
	if err := verify(rehashed); err == nil || !strings.Contains(err.Error(), "第 3 条的前序哈希") {
		t.Fatalf("rehashed entry not caught: %v", err)
	}
}

func TestHashFieldsAreSeparated(t *testing.T) {
	a := Entry{Action: "ab", ObjectType: "c", PrevHash: GenesisHash}
	b := Entry{Action: "a", ObjectType: "bc", PrevHash: GenesisHash}
	if ComputeHash(a) == ComputeHash(b) {
		t.Fatal("moving text between fields must change the hash")
	}
}
