package gendata

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// truthSQL builds the ground truth from the plan: what each built-in rule
// must report, keyed the way the rule keys its hits.
func truthSQL() string {
	return `CREATE OR REPLACE TEMP TABLE g_truth AS
	SELECT CASE WHEN p.anom IN ('R5a', 'R5b') THEN 'R5' WHEN p.anom LIKE 'R10_' THEN 'R10' WHEN p.anom IN ('R15t', 'R15a') THEN 'R15'
	            WHEN p.anom IN ('R20L', 'R20H') THEN 'R20' WHEN p.anom IN ('R23a', 'R23b') THEN 'R23' ELSE p.anom END AS rule,
		i.aac002 AS subject,
		CASE p.anom
			WHEN 'R1' THEN CAST(ym(p.death_mi + 1) AS VARCHAR)
			WHEN 'R2' THEN CAST(ym(p.stop_mi) AS VARCHAR)
			WHEN 'R3' THEN CAST(ym({MI1}) AS VARCHAR)
			WHEN 'R4' THEN CAST(ym(p.jail_mi) AS VARCHAR)
			WHEN 'R5a' THEN CAST(ym({MI0} + 24) AS VARCHAR)
			WHEN 'R5b' THEN CAST(ym({MI0} + 24) AS VARCHAR)
			WHEN 'R6' THEN CAST(ym(p.retire_mi - 6) AS VARCHAR)
			WHEN 'R7' THEN CAST(ym({MI0} + 24) AS VARCHAR)
			WHEN 'R8' THEN CAST(ym(greatest(p.ustart, {MI0} + 12)) AS VARCHAR)
			WHEN 'R9' THEN CAST(ym(p.l + 2) AS VARCHAR)
			WHEN 'R11' THEN CAST(ym(p.l + 2) AS VARCHAR)
			WHEN 'R13' THEN CAST(p.miss_year AS VARCHAR)
			WHEN 'R14' THEN CAST(ym(p.acc_mi) AS VARCHAR)
			WHEN 'R16' THEN strftime(p.aac006, '%Y%m%d')
			WHEN 'R17' THEN CAST(ym(p.work_mi) AS VARCHAR)
			WHEN 'R18' THEN CAST(ym({MI1} - 2) AS VARCHAR)
			WHEN 'R21' THEN CAST(ym(p.death_mi) AS VARCHAR)
			WHEN 'R22' THEN CAST(p.pid AS VARCHAR)
			WHEN 'R25' THEN CAST(ym({MI0}) AS VARCHAR)
			ELSE CASE WHEN p.anom LIKE 'R10_' THEN CAST(ym(p.l + 3) AS VARCHAR)
			          WHEN p.anom LIKE 'R15_' THEN CAST(ym(p.retire_mi) AS VARCHAR)
			          WHEN p.anom LIKE 'R20_' THEN CAST(ym(greatest(p.ustart, {MI0} + 24)) AS VARCHAR)
			          WHEN p.anom LIKE 'R23_' THEN CAST(ym(p.resume_mi) AS VARCHAR) END
		END AS period
	FROM g_p p JOIN g_id i ON i.src = 'P' AND i.k = p.pid
	WHERE p.anom IS NOT NULL AND p.anom NOT LIKE 'R12%'
	UNION ALL
	SELECT 'R12', d.aac002, CAST(CASE d.var
		WHEN 'R12a' THEN ym(dmi(d.birth) + 216)
		WHEN 'R12e' THEN ym(greatest(w.ustart, {MI0}))
		ELSE ym(d.ev_mi + 1) END AS VARCHAR)
	FROM g_depx d LEFT JOIN g_p w ON w.pid = d.idpid WHERE d.var IS NOT NULL
	UNION ALL
	SELECT 'R19', a.aab003, CAST(ym({MI1} - 2) AS VARCHAR) FROM g_unit u JOIN ab01 a ON a.aab001 = u.aab001 WHERE u.r19
	UNION ALL
	SELECT 'R24', g.aab003, CAST(g.reg_ym AS VARCHAR) FROM g_ereg e JOIN g_region r ON r.idx = e.cty
		JOIN ent_reg g ON g.aab003 = uscc('91', r.code, e.aab001) WHERE e.kind = 'A'
	UNION ALL
	SELECT 'R27', i.aac002, CAST(ym(o.begin_mi) AS VARCHAR) FROM g_sgo o JOIN g_id i ON i.src = 'SG' AND i.k = o.k WHERE o.kind = 'A'`
}

// readTruth reads g_truth in a stable order.
func readTruth(ctx context.Context, conn *sql.Conn) ([]Anomaly, error) {
	rows, err := conn.QueryContext(ctx, `SELECT rule, subject, period FROM g_truth`)
	if err != nil {
		return nil, fmt.Errorf("gendata: read truth: %w", err)
	}
	defer rows.Close()
	var out []Anomaly
	for rows.Next() {
		var a Anomaly
		if err := rows.Scan(&a.Rule, &a.Subject, &a.Period); err != nil {
			return nil, fmt.Errorf("gendata: read truth: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gendata: read truth: %w", err)
	}
	SortAnomalies(out)
	return out, nil
}

// SortAnomalies orders by rule number, subject, period.
func SortAnomalies(a []Anomaly) {
	sort.Slice(a, func(i, j int) bool {
		if ri, rj := ruleNumber(a[i].Rule), ruleNumber(a[j].Rule); ri != rj {
			return ri < rj
		}
		if a[i].Rule != a[j].Rule {
			return a[i].Rule < a[j].Rule
		}
		if a[i].Subject != a[j].Subject {
			return a[i].Subject < a[j].Subject
		}
		return a[i].Period < a[j].Period
	})
}

// ruleNumber is 12 for "R12", so that R2 sorts before R10.
func ruleNumber(code string) int {
	n := 0
	for i := 1; i < len(code); i++ {
		c := code[i]
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// WriteTruth writes truth.csv (rule,subject,period) into dir.
func WriteTruth(dir string, truth []Anomaly) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("gendata: truth: %w", err)
	}
	path := filepath.Join(dir, "truth.csv")
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("gendata: truth: %w", err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"rule", "subject", "period"})
	for _, a := range truth {
		w.Write([]string{a.Rule, a.Subject, a.Period})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return "", fmt.Errorf("gendata: truth: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("gendata: truth: %w", err)
	}
	return path, nil
}

// ReadTruth reads a truth.csv written by WriteTruth.
func ReadTruth(path string) ([]Anomaly, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gendata: truth: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("gendata: truth %s: %w", path, err)
	}
	if len(rows) == 0 || len(rows[0]) != 3 || rows[0][0] != "rule" {
		return nil, fmt.Errorf("gendata: truth %s: want the header rule,subject,period", path)
	}
	out := make([]Anomaly, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, Anomaly{Rule: r[0], Subject: r[1], Period: r[2]})
	}
	return out, nil
}
