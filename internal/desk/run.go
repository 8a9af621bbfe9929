package desk

import (
	"context"
	"errors"
	"io"
	"time"

	"gongkai/internal/errs"
)

// Sink stores a batch of well-formed records of one import, in one
// transaction, and says how many were new (the rest were already on record).
// Check is called for every well-formed row in every pass: a row that
// refers to something not on record (a new-media account not registered)
// is bad, with the reason it returns.
type Sink interface {
	Check(ctx context.Context, rec any) (reason string, err error)
	AddBatch(ctx context.Context, recs []any) (inserted int64, err error)
}

// DefaultBatch is how many records one transaction stores.
const DefaultBatch = 2000

// RunImport reads a file (open is called once per pass) and stores its
// well-formed rows through sink in batches. It streams: memory holds one
// batch and at most MaxReportedErrors row errors, whatever the file's size.
//
// In ModeGood the good rows are stored and the bad ones reported. In ModeAll
// a first pass checks every row; when any is bad nothing is stored (state
// rejected) and every bad row is reported; otherwise a second pass stores
// them. A failure of the database stops the import (state failed); the
// caller removes what the import had stored.
func RunImport(ctx context.Context, kind ImportKind, m Mapping, mode string, open func() (io.ReadCloser, int64, error), sink Sink, batch int, progress func(Progress)) (Result, error) {
	start := time.Now()
	if batch <= 0 {
		batch = DefaultBatch
	}
	res := Result{Kind: kind.Key, Mode: mode}
	if mode != ModeGood && mode != ModeAll {
		return res, errs.FieldError("mode", "请选择有错误行时的处理方式")
	}
	pass := func(n int, store bool) error {
		src, size, err := open()
		if err != nil {
			return err
		}
		defer src.Close()
		r, err := NewReader(kind, m, src)
		if err != nil {
			return err
		}
		res.Rows, res.Bad, res.Errors = 0, 0, nil
		var recs []any
		report := func() {
			if progress != nil {
				progress(Progress{Pass: n, Rows: res.Rows, Bad: res.Bad, BytesRead: r.BytesRead(), BytesAll: size})
			}
		}
		flush := func() error {
			if store && len(recs) > 0 {
				ins, err := sink.AddBatch(ctx, recs)
				if err != nil {
					return err
				}
				res.Imported += ins
				res.Duplicates += int64(len(recs)) - ins
			}
			recs = recs[:0]
			report()
			return nil
		}
		for {
			line, rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err == nil {
				reason, cerr := sink.Check(ctx, rec)
				if cerr != nil {
					return cerr
				}
				if reason != "" {
					err = RowError{Line: line, Reason: reason}
				}
			}
			var re RowError
			if errors.As(err, &re) {
				res.Rows++
				res.AddError(re)
				continue
			}
			if err != nil {
				return err
			}
			res.Rows++
			if store {
				recs = append(recs, rec)
				if len(recs) >= batch {
					if err := ctx.Err(); err != nil {
						return err
					}
					if err := flush(); err != nil {
						return err
					}
				}
			} else if res.Rows%int64(batch) == 0 {
				report()
			}
		}
		return flush()
	}
	if mode == ModeAll {
		if err := pass(1, false); err != nil {
			res.State, res.Elapsed = ImportFailed, time.Since(start)
			return res, err
		}
		if res.Bad > 0 {
			res.State, res.Elapsed = ImportRejected, time.Since(start)
			res.SortErrors()
			return res, nil
		}
	}
	n := 1
	if mode == ModeAll {
		n = 2
	}
	if err := pass(n, true); err != nil {
		res.State, res.Elapsed = ImportFailed, time.Since(start)
		return res, err
	}
	res.State, res.Elapsed = ImportDone, time.Since(start)
	res.SortErrors()
	return res, nil
}
