package supervision

import (
	"bytes"
	"context"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/httpx"
)

var levelDigits = map[string]int{"province": 2, "city": 4, "county": 6}

func checkStats(q *StatsQuery) error {
	if q.Level == "" {
		q.Level = "city"
	}
	var c httpx.Checker
	c.OneOf("level", q.Level, "province", "city", "county")
	if n := len(q.Region); n != 0 && n != 2 && n != 4 && n != 6 {
		c.Add("region", "format", "2, 4 or 6 digits")
	}
	return c.Err()
}

// Stats rolls the warnings up by province, city or county (region code
// prefixes of 2, 4 or 6 digits): found, verified, rectified, amount
// involved (the verified amount where there is one, else the screened
// amount) and amount recovered, with a total row last.
func (s *Service) Stats(ctx context.Context, q StatsQuery) ([]*Stat, error) {
	if err := checkStats(&q); err != nil {
		return nil, err
	}
	rows, err := s.store.Stats(ctx, levelDigits[q.Level], q)
	if err != nil {
		return nil, err
	}
	if rows == nil {
		rows = []*Stat{}
	}
	names, err := s.regionNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		r.Name = names[r.Region]
	}
	return rows, nil
}

// Total sums statistics rows.
func Total(rows []*Stat) Stat {
	t := Stat{Region: "合计"}
	var inv, rec int64
	for _, r := range rows {
		t.Found += r.Found
		t.Verified += r.Verified
		t.Rectified += r.Rectified
		inv += fen(r.AmountInvolved)
		rec += fen(r.AmountRecovered)
	}
	t.AmountInvolved, t.AmountRecovered = yuan(inv), yuan(rec)
	return t
}

func sheet(header []string, rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const name = "Sheet1"
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	h := make([]any, len(header))
	for i, v := range header {
		h[i] = v
	}
	if err := sw.SetRow("A1", h); err != nil {
		return nil, err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, r); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ExportStats is the statistics as an Excel workbook, with the total last.
func (s *Service) ExportStats(ctx context.Context, q StatsQuery) ([]byte, error) {
	rows, err := s.Stats(ctx, q)
	if err != nil {
		return nil, err
	}
	t := Total(rows)
	var out [][]any
	for _, r := range append(rows, &t) {
		out = append(out, []any{r.Region, r.Name, r.Found, r.Verified, r.Rectified, r.AmountInvolved, r.AmountRecovered})
	}
	b, err := sheet([]string{"区划 region", "名称 name", "发现 found", "已核查 verified", "已整改 rectified", "涉及金额 amount involved", "追回金额 amount recovered"}, out)
	if err != nil {
		return nil, err
	}
	return b, s.audit.Record(ctx, audit.Event{Action: "supervision_stats.export", TargetType: "supervision_stats", TargetID: q.Level, Detail: audit.JSON(q)})
}

// MaxExportRows bounds a warning-list export.
const MaxExportRows = 100000

// ExportWarnings is a warning list as an Excel workbook (at most
// MaxExportRows rows). Subjects are exported as stored: the export is for
// supervisors, and it is audited.
func (s *Service) ExportWarnings(ctx context.Context, q Query) ([]byte, error) {
	q.Limit, q.Offset = MaxExportRows, 0
	ws, total, err := s.Warnings(ctx, q)
	if err != nil {
		return nil, err
	}
	var out [][]any
	for _, w := range ws {
		verified := ""
		if w.VerifiedAmount != nil {
			verified = strconv.FormatFloat(*w.VerifiedAmount, 'f', 2, 64)
		}
		deadline := ""
		if w.Deadline != nil {
			deadline = w.Deadline.In(shanghai).Format("2006-01-02 15:04")
		}
		out = append(out, []any{w.ID, w.RuleCode, w.RuleName, w.Severity, w.Subject, w.SubjectName, w.Region, w.Insurance, w.Period, w.Amount,
			w.Status, w.AgencyName, deadline, w.EscalationName, w.ProblemCategory, w.Rectified, verified, w.Recovered, w.Evidence})
	}
	b, err := sheet([]string{"编号", "规则", "规则名称", "严重程度", "主体", "名称", "区划", "险种", "期别", "疑点金额", "状态", "核查机构", "期限",
		"督办", "问题类别", "已整改", "核实金额", "追回金额", "证据"}, out)
	if err != nil {
		return nil, err
	}
	return b, s.audit.Record(ctx, audit.Event{Action: "supervision_warning.export", TargetType: "supervision_warning", TargetID: "list",
		Detail: "rows " + strconv.Itoa(len(ws)) + " of " + strconv.Itoa(total)})
}
