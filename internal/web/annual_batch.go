package web

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

// The batch audit (批量检查, issue 15): a folder's worth of reports or a zip
// of hundreds is uploaded at once and checked by the background job
// annual.batch; the batch's page follows it without JavaScript (it reloads
// itself while the job runs) and gives the summary, sortable, with each
// report's marked-up tables one click away and the summary as a workbook or
// as the CSV of report check --csv.

// Bounds on a batch: the upload in all, the files it holds (a zip's
// reports counted one by one) and what they come to inflated; each file is
// bounded as report check --csv bounds it (annual.MaxFile).
const (
	maxBatchUpload   = 256 << 20
	maxBatchFiles    = 1000
	maxBatchInflated = 1 << 30
)

const batchUploadPath = "/admin/reports/batches"

// batchSource is one file of an upload to be stored: its name, its size as
// far as known before reading, and how to read it — or why it is refused.
type batchSource struct {
	name   string
	size   uint64
	read   func() ([]byte, error)
	reason string
}

// batchSources lists the files of a batch upload: the reports among the
// files chosen ("files") or under the folder chosen ("folder"), and the
// reports inside each zip. A file that is no report gets its reason when it
// was chosen by itself and is passed over when it came with its folder (as
// report check --csv passes it over); a zip that cannot be opened is one
// file with its reason. An upload beyond the bounds is refused as a whole
// with one sentence.
func batchSources(form *multipart.Form) ([]batchSource, func(), error) {
	var out []batchSource
	var opened []multipart.File
	closeAll := func() {
		for _, f := range opened {
			f.Close()
		}
	}
	var total uint64
	add := func(s batchSource) error {
		if len(out) >= maxBatchFiles {
			return errs.E(errs.Invalid, "一次最多检查 %d 份报告，请分批上传", maxBatchFiles)
		}
		total += s.size
		if total > maxBatchInflated {
			return errs.E(errs.Invalid, "上传的报告解压后超过 %d MB，请分批上传", maxBatchInflated>>20)
		}
		out = append(out, s)
		return nil
	}
	parts := len(form.File["files"]) + len(form.File["folder"])
	for _, field := range []string{"files", "folder"} {
		for _, fh := range form.File[field] {
			name := uploadName(fh)
			f, err := fh.Open()
			if err != nil {
				closeAll()
				return nil, nil, errs.Wrap(errs.Internal, err, "无法读取上传的文件")
			}
			opened = append(opened, f)
			if zr := zipOf(f, fh.Size); zr != nil && !isDOCX(zr) {
				// The zip's own bounds first (refused before anything is
				// inflated), then the batch's over everything uploaded.
				entries, err := annual.ZipReports(zr, annual.ZipLimits{Files: maxBatchFiles, Total: maxBatchInflated})
				if err != nil {
					closeAll()
					return nil, nil, errs.E(errs.Invalid, "压缩包“%s”：%s", name, err.Error())
				}
				for _, e := range entries {
					// A zip uploaded alone lists its reports by their names in
					// it, as report check --csv does; with other files, under
					// the zip's name.
					entry := e.Name
					if parts > 1 {
						entry = name + "/" + e.Name
					}
					if err := add(batchSource{name: entry, size: e.Size(), read: e.Read}); err != nil {
						closeAll()
						return nil, nil, err
					}
				}
				continue
			}
			s := batchSource{name: name, size: uint64(fh.Size), read: func() ([]byte, error) { return readAll(f, fh.Size) }}
			switch {
			case strings.EqualFold(path.Ext(name), ".zip"):
				s.reason, s.size = "ZIP 文件已损坏，无法解压", 0
			case !annual.IsReportName(name) && field == "folder":
				continue
			case !annual.IsReportName(name):
				s.reason, s.size = "不是年度报告文件：只检查 PDF、Word（.docx）、网页（.html）和文本（.txt）文件", 0
			case fh.Size > annual.MaxFile:
				s.reason, s.size = annual.ErrFileTooLarge.Error(), 0
			}
			if err := add(s); err != nil {
				closeAll()
				return nil, nil, err
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, closeAll, nil
}

// uploadName is a file's name as the browser sent it, with the folders of
// a folder upload (which multipart's FileName drops), cleaned of any path
// that climbs out of it.
func uploadName(fh *multipart.FileHeader) string {
	name := fh.Filename
	if _, params, err := mime.ParseMediaType(fh.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		name = params["filename"]
	}
	name = path.Clean("/" + strings.ReplaceAll(name, `\`, "/"))
	return strings.TrimPrefix(name, "/")
}

func zipOf(f multipart.File, size int64) *zip.Reader {
	var magic [4]byte
	if _, err := f.ReadAt(magic[:], 0); err != nil || !bytes.Equal(magic[:2], []byte("PK")) {
		return nil
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil
	}
	return zr
}

func isDOCX(zr *zip.Reader) bool {
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

func readAll(f multipart.File, size int64) ([]byte, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, errs.Wrap(errs.Internal, err, "无法读取上传的文件")
	}
	data, err := io.ReadAll(io.LimitReader(f, annual.MaxFile+1))
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "无法读取上传的文件")
	}
	if len(data) > annual.MaxFile {
		return nil, annual.ErrFileTooLarge
	}
	return data, nil
}

// batchInputs reads the sources one at a time as the store takes them: a
// file that cannot be read (a zip entry that does not inflate, one larger
// than its header said) is stored with its reason, and the batch goes on.
func batchInputs(srcs []batchSource) iter.Seq2[store.BatchInput, error] {
	return func(yield func(store.BatchInput, error) bool) {
		for _, s := range srcs {
			in := store.BatchInput{Name: s.name, Reason: s.reason}
			if s.reason == "" {
				if data, err := s.read(); err != nil {
					in.Reason = reasonOf(err)
				} else {
					in.Content = data
				}
			}
			if !yield(in, nil) {
				return
			}
		}
	}
}

// reasonOf is an error's one sentence for a file's row: an application
// error's public message, or the sentence a reader's error is.
func reasonOf(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// batchListPage is the batch audit's page: the upload form and the user's
// batches.
type batchListPage struct {
	Batches []store.AnnualBatch
	Limits  string
}

func batchLimits() string {
	return fmt.Sprintf("一次最多 %d 份报告，上传合计不超过 %d MB，解压后合计不超过 %d MB，每份不超过 %d MB", maxBatchFiles, maxBatchUpload>>20, maxBatchInflated>>20, annual.MaxFile>>20)
}

func (s *Server) batchList(w http.ResponseWriter, r *http.Request) error {
	return s.renderBatchList(w, r, s.page(w, r, "年度报告批量检查"))
}

func (s *Server) renderBatchList(w http.ResponseWriter, r *http.Request, p *Page) error {
	u := userOf(r)
	owner := u.ID
	if u.HasAnywhere(org.RoleAdmin) {
		owner = 0
	}
	bs, err := s.DB.AnnualBatches(r.Context(), owner, 50)
	if err != nil {
		return err
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", "/admin/reports"}, {"批量检查", ""}}
	p.Data = batchListPage{Batches: bs, Limits: batchLimits()}
	return s.render(w, "admin/annual_batches", p)
}

// batchCreate stores an uploaded batch and queues its job.
func (s *Server) batchCreate(w http.ResponseWriter, r *http.Request) error {
	refuse := func(msg string) error {
		p := s.page(w, r, "年度报告批量检查")
		p.Error = msg
		return s.renderBatchList(w, r, p)
	}
	if r.MultipartForm == nil {
		return refuse("请选择要检查的报告文件、文件夹或 ZIP 压缩包")
	}
	srcs, closeAll, err := batchSources(r.MultipartForm)
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			return refuse(errs.MessageOf(err))
		}
		return err
	}
	defer closeAll()
	if len(srcs) == 0 {
		return refuse("没有可检查的年度报告文件：请选择 PDF、Word（.docx）、网页（.html）、文本（.txt）文件，或装有它们的文件夹、ZIP 压缩包")
	}
	id, err := s.DB.CreateAnnualBatch(r.Context(), actorOf(r), batchName(r.MultipartForm), batchInputs(srcs))
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			return refuse(errs.MessageOf(err))
		}
		return err
	}
	s.setFlash(w, fmt.Sprintf("已上传 %d 份报告，正在检查。", len(srcs)))
	http.Redirect(w, r, batchPath(id), http.StatusSeeOther)
	return nil
}

// batchName names a batch after what was uploaded: the one file or zip,
// the folder, or the first file and how many were chosen.
func batchName(form *multipart.Form) string {
	files, folder := form.File["files"], form.File["folder"]
	switch {
	case len(files) == 1 && len(folder) == 0:
		return uploadName(files[0])
	case len(files) == 0 && len(folder) > 0:
		name := uploadName(folder[0])
		if i := strings.IndexByte(name, '/'); i > 0 {
			return name[:i]
		}
		return name
	case len(files) > 0:
		return fmt.Sprintf("%s 等 %d 个文件", uploadName(files[0]), len(files)+len(folder))
	}
	return "批量检查"
}

func batchPath(id int64) string { return batchUploadPath + "/" + strconv.FormatInt(id, 10) }

// batchOf reads the {id} of a batch's path; a batch is its uploader's, and
// every administrator's.
func (s *Server) batchOf(r *http.Request) (store.AnnualBatch, error) {
	id, err := pathID(r)
	if err != nil {
		return store.AnnualBatch{}, err
	}
	b, err := s.DB.AnnualBatchByID(r.Context(), id)
	if err != nil {
		return b, err
	}
	if u := userOf(r); b.UserID != u.ID && !u.HasAnywhere(org.RoleAdmin) {
		return b, errs.E(errs.Forbidden, "这是其他人上传的批量检查，只有上传人和系统管理员可以查看")
	}
	return b, nil
}
