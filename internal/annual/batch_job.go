package annual

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gongkai/internal/jobs"
)

// A batch audit (批量检查) checks the reports of a folder or a zip uploaded
// at once — a 直属海关 checking its 隶属海关's reports, a 政务公开办 a whole
// province's — as a background job in the database: a few files per run,
// each file's result written on its own, so that the work survives a
// restart and runs once whichever instance claims it (internal/jobs). When
// every file is done, the rules across years are applied to the batch's
// reports together with the imported history, as report check --csv applies
// them to the files of its run.

// BatchJobKind is the job that checks a batch; its payload is the batch's
// ID.
const BatchJobKind = "annual.batch"

// BatchFile is a file of a batch still to be checked.
type BatchFile struct {
	ID   int64
	Name string
}

// BatchResult is what checking one file gave: the report read and checked,
// or the reason it could not be read (never both, so that nothing is kept
// half-read).
type BatchResult struct {
	FileID int64
	Report *Report
	Reason string
}

// BatchStore is what checking a batch needs of the store.
type BatchStore interface {
	// PendingBatchFiles lists up to n files of the batch still to be
	// checked, in the batch's order.
	PendingBatchFiles(ctx context.Context, batchID int64, n int) ([]BatchFile, error)
	// BatchFileContent returns a file's bytes.
	BatchFileContent(ctx context.Context, fileID int64) ([]byte, error)
	// SaveBatchResult writes a file's result, unless it was written
	// already (another instance checked it meanwhile).
	SaveBatchResult(ctx context.Context, res BatchResult) error
	// BatchReports returns the reports read from the batch's files, by
	// file, in the batch's order.
	BatchReports(ctx context.Context, batchID int64) ([]BatchResult, error)
	// PriorReports returns the reports imported as units' history, for the
	// rules across years.
	PriorReports(ctx context.Context) ([]*Report, error)
	// CompleteBatch writes the reports the rules across years added
	// findings to and marks the batch done, in one transaction, unless it
	// is done already.
	CompleteBatch(ctx context.Context, batchID int64, changed []BatchResult) error
}

// batchRunTime bounds the files begun in one run of the job, well inside
// the job's lease (a PDF's reading is bounded by pdftext.MaxTime).
const batchRunTime = time.Minute

// CheckBatch checks up to n of a batch's files still pending and reports
// whether the batch is complete: when no file is pending it applies the
// rules across years and completes the batch.
func CheckBatch(ctx context.Context, st BatchStore, batchID int64, n int) (done bool, err error) {
	files, err := st.PendingBatchFiles(ctx, batchID, n)
	if err != nil {
		return false, fmt.Errorf("batch %d: pending files: %w", batchID, err)
	}
	if len(files) == 0 {
		return true, completeBatch(ctx, st, batchID)
	}
	start := time.Now()
	for _, f := range files {
		if ctx.Err() != nil || time.Since(start) > batchRunTime {
			break
		}
		data, err := st.BatchFileContent(ctx, f.ID)
		if err != nil {
			return false, fmt.Errorf("batch %d: file %d: %w", batchID, f.ID, err)
		}
		if err := st.SaveBatchResult(ctx, CheckFile(f.ID, f.Name, data)); err != nil {
			return false, fmt.Errorf("batch %d: save file %d: %w", batchID, f.ID, err)
		}
	}
	return false, nil
}

// CheckFile reads and checks one file of a batch. A file the reader cannot
// read gets the reader's sentence; should the reader fail on it in a way it
// does not foresee, the file gets a sentence saying so and the batch goes
// on.
func CheckFile(fileID int64, name string, data []byte) (res BatchResult) {
	res.FileID = fileID
	defer func() {
		if v := recover(); v != nil {
			res = BatchResult{FileID: fileID, Reason: "读取这个文件时程序出错，未能读出，请另行核对"}
		}
	}()
	r, err := Read(data, name)
	if err != nil {
		res.Reason = err.Error()
		return res
	}
	r.Findings = Check(r)
	res.Report = r
	return res
}

// completeBatch applies the rules across years (YEAR.CARRY, YEAR.IN_FORCE)
// to the batch's reports, with the imported history, and completes it.
func completeBatch(ctx context.Context, st BatchStore, batchID int64) error {
	rs, err := st.BatchReports(ctx, batchID)
	if err != nil {
		return fmt.Errorf("batch %d: reports: %w", batchID, err)
	}
	prior, err := st.PriorReports(ctx)
	if err != nil {
		return fmt.Errorf("batch %d: history: %w", batchID, err)
	}
	set := make([]*Report, 0, len(rs)+len(prior))
	before := make([]int, len(rs))
	for i, res := range rs {
		set = append(set, res.Report)
		before[i] = len(res.Report.Findings)
	}
	set = append(set, prior...)
	CheckAcrossYears(set)
	var changed []BatchResult
	for i, res := range rs {
		if len(res.Report.Findings) != before[i] {
			changed = append(changed, res)
		}
	}
	return st.CompleteBatch(ctx, batchID, changed)
}

// BatchJob is the handler of BatchJobKind: n files a run, the job asking to
// run again at once (at its own due time, on any runner's clock) until the
// batch is complete.
func BatchJob(st BatchStore, n int) jobs.Handler {
	return func(ctx context.Context, j jobs.Job) (time.Time, error) {
		id, err := strconv.ParseInt(j.Payload, 10, 64)
		if err != nil {
			return time.Time{}, errors.New("annual.batch: the payload is not a batch id")
		}
		done, err := CheckBatch(ctx, st, id, n)
		if err != nil || done {
			return time.Time{}, err
		}
		return j.RunAt, nil
	}
}
