package loadjob

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/load"
)

// fileTypes are the extensions load.File knows.
var fileTypes = []string{".csv", ".tsv", ".txt", ".parquet", ".xlsx", ".xlsm"}

var encodings = []string{load.EncAuto, load.EncUTF8, load.EncGBK, load.EncGB18030}

func fileType(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, t := range fileTypes {
		if ext == t {
			return true
		}
	}
	return false
}

func checkTable(c *httpx.Checker, table string, partial bool) {
	switch {
	case table == "" && partial:
	case table == "":
		c.Add("table", "required", "")
	default:
		if _, ok := warehouse.TableByName(table); !ok {
			c.Add("table", "not_found", "not a warehouse table")
		}
	}
}

func normMode(mode string) string {
	if mode = strings.ToLower(strings.TrimSpace(mode)); mode == "" {
		return string(load.Append)
	}
	return mode
}

// checkFile normalises and checks a file load's fields. partial: the file
// part has arrived before some fields (a missing table is not yet an
// error); name is the uploaded file's name ("" before it arrived).
func (s *Service) checkFile(in *FileInput, name string, partial bool) error {
	in.Table = strings.TrimSpace(in.Table)
	in.Mode = normMode(in.Mode)
	in.Encoding = strings.ToLower(strings.TrimSpace(in.Encoding))
	if in.Encoding == "" {
		in.Encoding = load.EncAuto
	}
	in.Sheet = strings.TrimSpace(in.Sheet)
	var c httpx.Checker
	checkTable(&c, in.Table, partial)
	c.OneOf("mode", in.Mode, string(load.Append), string(load.Replace))
	c.OneOf("encoding", in.Encoding, encodings...)
	c.Text("sheet", in.Sheet, false, 100)
	switch {
	case name == "" && !partial:
		c.Add("file", "required", "")
	case name != "" && !fileType(name):
		c.Add("file", "type", strings.Join(fileTypes, " "))
	}
	return c.Err()
}

// identRE is the loader's rule for a source's table and column names
// (warehouse/load/table.go): checked here too so that a typo is a field
// error at once, not a failed job.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]{0,127}$`)

func identifier(name string, parts int) bool {
	ps := strings.Split(name, ".")
	if len(ps) > parts {
		return false
	}
	for _, p := range ps {
		if !identRE.MatchString(p) {
			return false
		}
	}
	return true
}

// checkSource normalises and checks a data-source load and finds its source.
func (s *Service) checkSource(ctx context.Context, in *SourceInput) (*sourceRef, error) {
	in.Table = strings.TrimSpace(in.Table)
	in.Mode = normMode(in.Mode)
	in.SourceTable = strings.TrimSpace(in.SourceTable)
	in.Watermark = strings.TrimSpace(in.Watermark)
	var c httpx.Checker
	checkTable(&c, in.Table, false)
	c.OneOf("mode", in.Mode, string(load.Append), string(load.Replace))
	if in.DatasourceID <= 0 {
		c.Add("datasource_id", "required", "")
	}
	switch {
	case in.SourceTable == "":
		c.Add("source_table", "required", "")
	case len(in.SourceTable) > 190 || !identifier(in.SourceTable, 3):
		c.Add("source_table", "format", "table or schema.table: letters, digits, _ and $")
	}
	switch {
	case in.Watermark == "":
		c.Add("watermark", "required", "")
	case !identifier(in.Watermark, 1):
		c.Add("watermark", "format", "a column name: letters, digits, _ and $")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if s.sources == nil {
		return nil, httpx.Invalid(httpx.FieldError{Field: "datasource_id", Code: "not_found"})
	}
	src, err := s.sources.Source(ctx, in.DatasourceID)
	if err != nil {
		return nil, notFoundAs(err, "datasource_id")
	}
	if k, ok := connect.Lookup(src.Kind); !ok || k.Family != connect.FamilySQL {
		return nil, httpx.Invalid(httpx.FieldError{Field: "datasource_id", Code: "not_sql", Message: "the data source is not a database"})
	}
	return &sourceRef{ID: src.ID, Name: src.Name}, nil
}

// sourceRef names the data source a job reads.
type sourceRef struct {
	ID   int64
	Name string
}
