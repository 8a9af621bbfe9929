package store_test

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestBackupWhileWriting takes a backup while another writer appends to
// the audit log, on both engines, and restores it into both: the copy is
// one moment of the log (its chain verifies, its length between the
// counts before and after the backup).
func TestBackupWhileWriting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := 0; i < 20; i++ {
			if err := db.Record(ctx, audit.System("test"), audit.Change{Action: "before", ObjectType: "x", ObjectID: "1"}); err != nil {
				t.Fatal(err)
			}
		}
		var written atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := db.Record(ctx, audit.System("test"), audit.Change{Action: "during", ObjectType: "x", ObjectID: "2"}); err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
			}
		}()
		for written.Load() < 5 {
			time.Sleep(time.Millisecond) // let the writer get going
		}
		bak := filepath.Join(t.TempDir(), "b.bak")
		st, err := db.Backup(ctx, bak)
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		total, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range storetest.Backends {
			dsn := storetest.DSN(t, d)
			if _, err := store.Restore(ctx, dsn, bak, store.RestoreOptions{}); err != nil {
				t.Fatalf("restore %s backup into %s: %v", st.Kind, d, err)
			}
			r, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			n, err := r.VerifyAudit(ctx)
			r.Close()
			if err != nil {
				t.Fatalf("%s: restored audit log: %v", d, err)
			}
			if n < 25 || n > total {
				t.Errorf("%s: restored %d audit entries; want between 25 and %d", d, n, total)
			}
			t.Logf("%s backup → %s: %d of %d entries (the rest written after the backup's moment)", st.Kind, d, n, total)
			// A second restore finds records and refuses without --force.
			if _, err := store.Restore(ctx, dsn, bak, store.RestoreOptions{}); errs.CodeOf(err) != errs.Conflict {
				t.Errorf("%s: restore over records: %v, want a conflict", d, err)
			}
		}
	})
}

// TestRestoreRefusesDamage: a truncated archive, a file that is no backup
// and a backup of a newer schema are refused with a clear message, and the
// target stays empty.
func TestRestoreRefusesDamage(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.Postgres, store.Options{})
	if err := db.Record(ctx, audit.System("test"), audit.Change{Action: "x", ObjectType: "x", ObjectID: "1"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bak := filepath.Join(dir, "pg.bak")
	if _, err := db.Backup(ctx, bak); err != nil {
		t.Fatal(err)
	}
	// Truncate the uncompressed stream: drop its last line (the end mark).
	f, _ := os.Open(bak)
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	f.Close()
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		out, _ := os.Create(p)
		zw := gzip.NewWriter(out)
		zw.Write([]byte(text))
		zw.Close()
		out.Close()
		return p
	}
	cut := write("cut.bak", strings.Join(lines[:len(lines)-1], "\n")+"\n")
	newer := write("newer.bak", strings.Replace(string(raw), `"schema":`, `"schema":9`, 1))
	junk := filepath.Join(dir, "junk.bak")
	os.WriteFile(junk, []byte("not a backup at all"), 0o644)
	for _, c := range []struct{ file, want string }{
		{cut, "不完整"},
		{newer, "更新版本"},
		{junk, "不是 gongkai 的备份"},
	} {
		dsn := filepath.Join(t.TempDir(), "r.db")
		_, err := store.Restore(ctx, dsn, c.file, store.RestoreOptions{})
		if err == nil || !strings.Contains(errs.MessageOf(err), c.want) {
			t.Errorf("%s: %v, want a message with %q", filepath.Base(c.file), err, c.want)
		}
	}
}
