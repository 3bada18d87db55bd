package gendata

import (
	"fmt"
	"strconv"
	"strings"
)

// params are the numbers the generation SQL is written with. They are
// integers and floats formatted by Go, never text from outside.
type params struct {
	seed      int64
	persons   int
	rate      float64
	regions   []region
	units     int // enterprises (企业) in AB01
	govUnits  int // 机关事业 units in AB01
	outsiders int // special-group children outside AC01
}

func newParams(o Options, regs []region) params {
	return params{
		seed: o.Seed, persons: o.Persons, rate: o.AnomalyRate, regions: regs,
		units:     max(20, o.Persons/25),
		govUnits:  max(5, o.Persons/400),
		outsiders: max(2, o.Persons/500),
	}
}

// expand fills the {NAME} markers of a generation statement.
func (p params) expand(sql string) string {
	r := strings.NewReplacer(
		"{SEED}", strconv.FormatInt(p.seed, 10),
		"{N}", strconv.Itoa(p.persons),
		"{RATE}", strconv.FormatFloat(p.rate, 'f', -1, 64),
		"{R}", strconv.Itoa(len(p.regions)),
		"{UENT}", strconv.Itoa(p.units),
		"{UGOV}", strconv.Itoa(p.govUnits),
		"{NKIDS}", strconv.Itoa(p.outsiders),
		"{MI0}", strconv.Itoa(mi0),
		"{MI1}", strconv.Itoa(mi1),
		"{SURNAMES}", sqlList(surnames, 1),
		"{GIVENS}", sqlList(givens, 1),
		"{BRANDS}", sqlList(brands, 2),
		"{TRADES}", sqlList(trades, 2),
		"{AGENCIES}", sqlList(agencies, 3),
	)
	return r.Replace(sql)
}

// setupSQL creates the helper macros and the constant tables. The macros
// are the only source of randomness: hx/ux/rx hash (seed, entity, purpose).
func (p params) setupSQL() []string {
	idSum := make([]string, 17)
	idW := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	for i, w := range idW {
		idSum[i] = fmt.Sprintf("CAST(substr(b, %d, 1) AS INTEGER) * %d", i+1, w)
	}
	usccSum := make([]string, 17)
	usccW := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	for i, w := range usccW {
		usccSum[i] = fmt.Sprintf("uv(b, %d) * %d", i+1, w)
	}
	orgSum := make([]string, 8)
	for i, w := range []int{3, 7, 9, 10, 5, 8, 4, 2} {
		orgSum[i] = fmt.Sprintf("CAST(substr(b, %d, 1) AS INTEGER) * %d", i+1, w)
	}
	var regs []string
	for i, r := range p.regions {
		regs = append(regs, fmt.Sprintf("(%d, '%s', '%s')", i, r.Code, r.City))
	}
	var sl []string
	for _, s := range slots {
		for i, c := range s.codes {
			sl = append(sl, fmt.Sprintf("('%s', %d, '%s')", s.cat, i, c))
		}
	}
	var cats []string
	for _, c := range categoryShares {
		cats = append(cats, fmt.Sprintf("WHEN u < %g THEN '%s'", c.cum, c.cat))
	}
	return []string{
		`CREATE OR REPLACE TEMP MACRO hx(a, b) AS hash({SEED}, a, b)`,
		`CREATE OR REPLACE TEMP MACRO ux(a, b) AS CAST(hash({SEED}, a, b) % 1000000 AS DOUBLE) / 1000000`,
		`CREATE OR REPLACE TEMP MACRO rx(a, b, n) AS CAST(hash({SEED}, a, b) % CAST(n AS UBIGINT) AS BIGINT)`,
		`CREATE OR REPLACE TEMP MACRO ym(mi) AS CAST((mi // 12) * 100 + mi % 12 + 1 AS INTEGER)`,
		`CREATE OR REPLACE TEMP MACRO dmi(d) AS CAST(year(d) * 12 + month(d) - 1 AS INTEGER)`,
		`CREATE OR REPLACE TEMP MACRO mdate(mi, d) AS make_date(CAST(mi // 12 AS BIGINT), CAST(mi % 12 + 1 AS BIGINT), CAST(d AS BIGINT))`,
		`CREATE OR REPLACE TEMP MACRO idchk(b) AS substr('10X98765432', CAST((` + strings.Join(idSum, " + ") + `) % 11 AS INTEGER) + 1, 1)`,
		`CREATE OR REPLACE TEMP MACRO uv(b, i) AS CASE substr(b, i, 1) WHEN 'X' THEN 29 ELSE CAST(substr(b, i, 1) AS INTEGER) END`,
		`CREATE OR REPLACE TEMP MACRO usccchk(b) AS substr('0123456789ABCDEFGHJKLMNPQRTUWXY', CAST((31 - (` + strings.Join(usccSum, " + ") + `) % 31) % 31 AS INTEGER) + 1, 1)`,
		`CREATE OR REPLACE TEMP MACRO orgchk(b) AS CASE 11 - (` + strings.Join(orgSum, " + ") + `) % 11 WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE CAST(11 - (` + strings.Join(orgSum, " + ") + `) % 11 AS VARCHAR) END`,
		// A person's (or dependant's) name from the hash of its key.
		`CREATE OR REPLACE TEMP MACRO pname(k, salt) AS list_extract({SURNAMES}, CAST(rx(k, salt || 's', len({SURNAMES})) + 1 AS INTEGER))
			|| list_extract({GIVENS}, CAST(rx(k, salt || 'g', len({GIVENS})) + 1 AS INTEGER))
			|| CASE WHEN rx(k, salt || 'l', 2) = 0 THEN '' ELSE list_extract({GIVENS}, CAST(rx(k, salt || 'h', len({GIVENS})) + 1 AS INTEGER)) END`,
		`CREATE OR REPLACE TEMP TABLE g_region (idx INTEGER, code VARCHAR, city VARCHAR)`,
		`INSERT INTO g_region VALUES ` + strings.Join(regs, ", "),
		`CREATE OR REPLACE TEMP TABLE g_slot (cat VARCHAR, idx INTEGER, anom VARCHAR)`,
		`INSERT INTO g_slot VALUES ` + strings.Join(sl, ", "),
		`CREATE OR REPLACE TEMP TABLE g_wage AS
			SELECT mi, ym(mi) AS aae003, CAST(CASE mi // 12 WHEN 2022 THEN 6000 WHEN 2023 THEN 6360 ELSE 6680 END AS DECIMAL(12,2)) AS amount
			FROM generate_series({MI0}, {MI1}) t(mi)`,
		`CREATE OR REPLACE TEMP TABLE g_p0 AS
			SELECT pid, CASE ` + strings.Join(cats, " ") + ` ELSE 'D' END AS cat
			FROM (SELECT pid, ux(pid, 'cat') AS u FROM range(1, {N} + 1) t(pid))`,
		`CREATE OR REPLACE TEMP TABLE g_p1 AS
			WITH r AS (SELECT pid, cat, row_number() OVER (PARTITION BY cat ORDER BY hx(pid, 'slot'), pid) AS rk,
			                  count(*) OVER (PARTITION BY cat) AS n FROM g_p0)
			SELECT r.pid, r.cat, s.anom
			FROM r LEFT JOIN g_slot s ON s.cat = r.cat AND s.idx = (r.rk - 1) // greatest(1, CAST(round({RATE} * r.n) AS BIGINT))`,
	}
}
