package loadjob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/xietong/xietong/internal/httpx"
)

// uploadPrefix names the files Receive writes; Recover removes them all.
const uploadPrefix = "upload-"

// Upload is a file saved in the loads directory, waiting for its job.
type Upload struct {
	Name string // the client's file name, cleaned
	Size int64
	path string
}

// Remove deletes the file (a nil upload is nothing to remove).
func (u *Upload) Remove() {
	if u != nil && u.path != "" {
		os.Remove(u.path)
	}
}

var errUploadBroken = httpx.NewProblem(http.StatusBadRequest, "load_upload_interrupted", "文件上传中断，请重试", "The upload was interrupted; try again")

func (s *Service) errTooLarge() *httpx.Problem {
	mb := s.opt.MaxFileBytes >> 20
	return httpx.NewProblem(http.StatusRequestEntityTooLarge, "load_file_too_large",
		fmt.Sprintf("文件超过 %d MB 的上限", mb), fmt.Sprintf("The file exceeds the limit of %d MB", mb))
}

// cleanName keeps the last element of a client's file name (some browsers
// send a whole Windows path), without control characters, ≤ 200 characters.
func cleanName(name string) string {
	if u, err := url.PathUnescape(name); err == nil {
		name = u
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if rs := []rune(name); len(rs) > 200 {
		name = string(rs[len(rs)-200:]) // the end keeps the extension
	}
	return name
}

// Receive streams an uploaded file to the loads directory, up to the
// size cap. The fields that came before the file are checked first (and
// the table's availability), so that a mistake is answered before a large
// upload rather than after it.
func (s *Service) Receive(_ context.Context, in FileInput, name string, body io.Reader) (*Upload, error) {
	name = cleanName(name)
	if name == "" {
		return nil, httpx.Invalid(httpx.FieldError{Field: "file", Code: "required", Message: "a file name"})
	}
	if err := s.checkFile(&in, name, true); err != nil {
		return nil, err
	}
	if in.Table != "" && s.busy(in.Table) {
		return nil, errTableBusy
	}
	if err := os.MkdirAll(s.opt.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("loadjob: %w", err)
	}
	f, err := os.CreateTemp(s.opt.Dir, uploadPrefix+"*"+strings.ToLower(filepath.Ext(name)))
	if err != nil {
		return nil, fmt.Errorf("loadjob: %w", err)
	}
	up := &Upload{Name: name, path: f.Name()}
	src := &readSide{r: io.LimitReader(body, s.opt.MaxFileBytes+1)}
	n, err := io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(src.err, &maxErr), src.err == nil && err == nil && n > s.opt.MaxFileBytes:
		up.Remove()
		return nil, s.errTooLarge()
	case src.err != nil:
		// The client went away or sent a broken body: its fault, not ours.
		up.Remove()
		return nil, errUploadBroken
	case err != nil:
		up.Remove()
		return nil, fmt.Errorf("loadjob: save upload: %w", err)
	case n == 0:
		up.Remove()
		return nil, httpx.Invalid(httpx.FieldError{Field: "file", Code: "empty"})
	}
	up.Size = n
	return up, nil
}

// readSide remembers a read error, to tell a broken upload from a full disk.
type readSide struct {
	r   io.Reader
	err error
}

func (r *readSide) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}
