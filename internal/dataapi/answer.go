package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
)

// pageRequest is the caller's paging and sorting.
type pageRequest struct {
	Page, Size int
	Sort       []sqltpl.SortKey
}

// Reserved caller parameters: paging and sorting, never template parameters.
const (
	paramPage     = "page"
	paramPageSize = "page_size"
	paramSort     = "sort"
)

// result is an executed data API call.
type result struct {
	cols      []string
	rows      [][]any
	total     *int64
	truncated bool
	page      pageRequest
	paged     bool
	sql       string
}

// compiled is a definition ready to run.
type compiled struct {
	def Def
	tpl *sqltpl.Template
}

func compile(def Def) (*compiled, error) {
	tpl, err := sqltpl.Parse(def.SQL, def.Params)
	if err != nil {
		return nil, err
	}
	return &compiled{def: def, tpl: tpl}, nil
}

func (c *compiled) timeout() time.Duration { return time.Duration(c.def.TimeoutMS) * time.Millisecond }

// paging reads page, page_size and sort out of the values.
func (c *compiled) paging(values map[string]string) (pageRequest, []sqltpl.FieldError) {
	var errs []sqltpl.FieldError
	pr := pageRequest{Page: 1, Size: c.def.Paging.DefaultSize}
	bad := func(field, code, zh, en string) {
		errs = append(errs, sqltpl.FieldError{Field: field, Code: code, ZH: zh, EN: en})
	}
	if v, ok := values[paramPage]; ok {
		delete(values, paramPage)
		n, err := strconv.Atoi(v)
		if !c.def.Paging.Enabled {
			bad(paramPage, "param_unknown", "该接口不分页", "This API does not page")
		} else if err != nil || n < 1 || n > 1000000 {
			bad(paramPage, "param_range", "页码须为 1 到 1000000 的整数", "page must be an integer from 1 to 1000000")
		} else {
			pr.Page = n
		}
	}
	if v, ok := values[paramPageSize]; ok {
		delete(values, paramPageSize)
		n, err := strconv.Atoi(v)
		if !c.def.Paging.Enabled {
			bad(paramPageSize, "param_unknown", "该接口不分页", "This API does not page")
		} else if err != nil || n < 1 || n > c.def.Paging.MaxSize {
			bad(paramPageSize, "param_range", "每页条数须为 1 到 "+strconv.Itoa(c.def.Paging.MaxSize), "page_size must be from 1 to "+strconv.Itoa(c.def.Paging.MaxSize))
		} else {
			pr.Size = n
		}
	}
	sort := c.def.DefaultSort
	if v, ok := values[paramSort]; ok {
		delete(values, paramSort)
		if len(c.def.Sortable) == 0 {
			bad(paramSort, "param_unknown", "该接口不支持排序", "This API cannot be sorted")
		}
		sort = v
	}
	for _, part := range strings.Split(sort, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k := sqltpl.SortKey{Column: strings.TrimPrefix(part, "-"), Desc: strings.HasPrefix(part, "-")}
		pr.Sort = append(pr.Sort, k)
	}
	return pr, errs
}

// execute binds the caller's values and runs the query (and the count of a
// paged one) on p. values is consumed.
func (c *compiled) execute(ctx context.Context, p *pool, values map[string]string) (*result, error) {
	pr, perrs := c.paging(values)
	if len(perrs) > 0 {
		return nil, &sqltpl.BindError{Fields: perrs}
	}
	res := &result{page: pr, paged: c.def.Paging.Enabled}
	var q *sqltpl.Query
	var err error
	limit := c.def.MaxRows
	if c.def.Paging.Enabled {
		if pr.Size < limit {
			limit = pr.Size
		}
		q, err = c.tpl.BindPage(p.dialect, values, sqltpl.Page{Limit: limit, Offset: (pr.Page - 1) * pr.Size, Sort: pr.Sort}, c.def.Sortable)
	} else if len(pr.Sort) > 0 {
		q, err = c.tpl.BindPage(p.dialect, values, sqltpl.Page{Limit: limit + 1, Offset: 0, Sort: pr.Sort}, c.def.Sortable)
	} else {
		q, err = c.tpl.Bind(p.dialect, values)
	}
	if err != nil {
		return nil, err
	}
	res.sql = q.SQL
	rs, err := p.run(ctx, q, c.timeout(), limit)
	if err != nil {
		return res, err
	}
	res.cols, res.rows, res.truncated = rs.cols, rs.rows, rs.truncated && !c.def.Paging.Enabled
	if c.def.Paging.Enabled {
		cq, err := c.tpl.BindCount(p.dialect, values)
		if err != nil {
			return res, err
		}
		n, err := p.count(ctx, cq, c.timeout())
		if err != nil {
			return res, err
		}
		res.total = &n
	}
	c.project(res)
	return res, nil
}

// project keeps the described fields, in their order: the author's
// description is the API's contract, so a column added to the query does
// not leak out unreviewed. Names match case-insensitively (PostgreSQL folds
// to lower case, Oracle to upper).
func (c *compiled) project(res *result) {
	if len(c.def.Fields) == 0 {
		return
	}
	idx := make([]int, len(c.def.Fields))
	cols := make([]string, len(c.def.Fields))
	for i, f := range c.def.Fields {
		idx[i], cols[i] = -1, f.Name
		for j, col := range res.cols {
			if strings.EqualFold(col, f.Name) {
				idx[i] = j
				break
			}
		}
	}
	for r, row := range res.rows {
		out := make([]any, len(idx))
		for i, j := range idx {
			if j >= 0 {
				out[i] = row[j]
			}
		}
		res.rows[r] = out
	}
	res.cols = cols
}

// body encodes the answer a gateway caller gets:
// {"data":[{…}], "page":1, "page_size":20, "total":N} or {"data":[…]}.
func (res *result) body() ([]byte, error) {
	b := make([]byte, 0, 256+len(res.rows)*64)
	b = append(b, `{"data":[`...)
	keys := make([][]byte, len(res.cols))
	for i, c := range res.cols {
		k, _ := json.Marshal(c)
		keys[i] = k
	}
	for r, row := range res.rows {
		if r > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		for i, v := range row {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, keys[i]...)
			b = append(b, ':')
			enc, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			b = append(b, enc...)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if res.paged {
		b = append(b, `,"page":`...)
		b = strconv.AppendInt(b, int64(res.page.Page), 10)
		b = append(b, `,"page_size":`...)
		b = strconv.AppendInt(b, int64(res.page.Size), 10)
		if res.total != nil {
			b = append(b, `,"total":`...)
			b = strconv.AppendInt(b, *res.total, 10)
		}
	}
	if res.truncated {
		b = append(b, `,"truncated":true`...)
	}
	return append(b, '}'), nil
}

// problem is the error document a data API answers: like the console's
// problems, with each refused parameter explained in both languages.
type problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Code     string       `json:"code"`
	Detail   string       `json:"detail"`
	DetailEN string       `json:"detail_en"`
	Errors   []paramError `json:"errors,omitempty"`
	// DBMessage is the database's own text: for the author trying a query
	// in the console only, never for gateway callers.
	DBMessage string `json:"db_message,omitempty"`
	Pos       *int   `json:"pos,omitempty"`
}

type paramError struct {
	Field    string `json:"field"`
	Code     string `json:"code"`
	Detail   string `json:"detail"`
	DetailEN string `json:"detail_en"`
	// Message is the English text, for clients written against the
	// console's field errors.
	Message string `json:"message"`
}

func newProblem(status int, code, zh, en string) *problem {
	return &problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Code: code, Detail: zh, DetailEN: en}
}

// Error makes a problem an error, so services can return it.
func (p *problem) Error() string { return p.Code + ": " + p.DetailEN }

// problemFor maps an execution error to the caller's problem.
func problemFor(err error) *problem {
	var be *sqltpl.BindError
	var te *sqltpl.Error
	var qe *queryError
	switch {
	case errors.As(err, &be):
		p := newProblem(http.StatusBadRequest, "dataapi_bad_params", "请求参数不符合接口定义", "The parameters do not match the API's definition")
		for _, f := range be.Fields {
			p.Errors = append(p.Errors, paramError{Field: f.Field, Code: f.Code, Detail: f.ZH, DetailEN: f.EN, Message: f.EN})
		}
		return p
	case errors.As(err, &te):
		p := newProblem(http.StatusUnprocessableEntity, te.Code, te.ZH, te.EN)
		if te.Pos >= 0 {
			pos := te.Pos
			p.Pos = &pos
		}
		return p
	case errors.Is(err, errTimeout):
		return newProblem(http.StatusGatewayTimeout, "dataapi_timeout", "查询超时", "The query timed out")
	case errors.Is(err, errUnavailable):
		return newProblem(http.StatusBadGateway, "dataapi_source_unavailable", "数据源暂时无法连接", "The data source cannot be reached")
	case errors.As(err, &qe):
		return newProblem(http.StatusBadGateway, "dataapi_query_failed", "查询执行失败", "The query failed")
	}
	return newProblem(http.StatusInternalServerError, "dataapi_internal", "数据API内部错误", "Internal data API error")
}

// ProblemDocument lets the console's handlers write a problem as is.
func (p *problem) ProblemDocument() (int, []byte) { return p.Status, p.body() }

func (p *problem) body() []byte {
	b, _ := json.Marshal(p)
	return b
}
