package gendata

import "fmt"

// contribSpansSQL lists, per person, the months and 险种 contributed with
// one payer. Expanding spans month by month gives AC43.
func contribSpansSQL() []string {
	return []string{
		`CREATE OR REPLACE TEMP TABLE g_span AS
		SELECT s.*, COALESCE(u.r19, false) AS r19 FROM (
			SELECT pid, anom, unit AS aab001, greatest(ustart, {MI0}) AS f, {MI1} AS t, '1' AS payer, ['110', '210', '310'] AS ins FROM g_p WHERE cat = 'Ws'
			UNION ALL SELECT pid, anom, punit, {MI0}, k - 1, '1', ['110', '210', '310'] FROM g_p WHERE cat = 'Wc'
			UNION ALL SELECT pid, anom, unit, k, {MI1}, '1', ['110', '210', '310'] FROM g_p WHERE cat = 'Wc'
			UNION ALL SELECT pid, anom, unit, {MI0}, {MI1}, '1', CASE WHEN anom = 'R25' THEN ['210', '310'] ELSE ['120', '210', '310'] END FROM g_p WHERE cat = 'G'
			UNION ALL SELECT pid, anom, unit, {MI0}, l, '1', ['110', '210', '310'] FROM g_p WHERE cat = 'U'
			-- 灵活就业 contributions while on unemployment benefit are allowed
			UNION ALL SELECT pid, anom, 0, l + 1, l + nu, '2', ['110'] FROM g_p WHERE ev = 'flex'
			-- R9: an employer pays for months of the benefit
			UNION ALL SELECT pid, anom, unit % {UENT} + 1, l + 2, l + 4, '1', ['110', '210', '310'] FROM g_p WHERE anom = 'R9'
		) s LEFT JOIN g_unit u ON u.aab001 = s.aab001`,
	}
}

// ac43SQL expands the spans of persons lo..hi into AC43. Bases are set
// per person and year inside 65%–290% of 社平工资, rounded to 10 yuan, so
// every rate gives whole fen and no normal base leaves the R20 band; the
// personal amount is exactly the legal rate of the base.
func ac43SQL(lo, hi int) string {
	return fmt.Sprintf(`INSERT INTO ac43 (aac001, aab001, aae140, aae003, aic020, aae020, aae022, aae078, payer)
	SELECT x.pid, x.aab001, x.ins1, ym(x.mi), x.base,
		CASE WHEN x.payer = '2' THEN 0 ELSE x.base * CASE x.ins1 WHEN '210' THEN 0.005 WHEN '310' THEN 0.06 ELSE 0.16 END END,
		CASE WHEN x.payer = '2' THEN x.base * 0.20
		     WHEN x.anom = 'R18' AND x.ins1 = '110' AND x.mi >= {MI1} - 2 THEN x.base * 0.05
		     ELSE x.base * CASE x.ins1 WHEN '210' THEN 0.005 WHEN '310' THEN 0.02 ELSE 0.08 END END,
		CASE WHEN x.payer = '1' AND x.r19 AND x.mi >= {MI1} - 2 THEN '0' ELSE '1' END,
		x.payer
	FROM (
		SELECT m.pid, m.anom, m.aab001, m.payer, m.r19, m.mi, unnest(m.ins) AS ins1,
			CAST(round(w.amount * CASE
				WHEN m.anom = 'R20L' AND m.mi >= {MI0} + 24 THEN 0.40
				WHEN m.anom = 'R20H' AND m.mi >= {MI0} + 24 THEN 3.50
				WHEN m.payer = '2' THEN 0.65
				ELSE 0.65 + rx(m.pid, 'f' || CAST(m.mi // 12 AS VARCHAR), 2250) / 1000.0 END / 10) * 10 AS DECIMAL(12,2)) AS base
		FROM (SELECT s.*, unnest(generate_series(s.f, s.t)) AS mi FROM g_span s WHERE s.pid BETWEEN %d AND %d) m
		JOIN g_wage w ON w.mi = m.mi
	) x`, lo, hi)
}

// residentSQL adds the yearly 城乡居民 contributions (170): the person
// pays a chosen grade alone; no base band or rate applies.
func residentSQL() string {
	return `INSERT INTO ac43 (aac001, aab001, aae140, aae003, aic020, aae020, aae022, aae078, payer)
	SELECT p.pid, 0, '170', y * 100 + 6, g, 0, g, '1', '2'
	FROM g_p p, (SELECT unnest([2022, 2023, 2024]) AS y) yy,
		LATERAL (SELECT CAST(list_extract([300, 500, 1000, 2000, 3000], CAST(rx(p.pid, 'grade', 5) + 1 AS INTEGER)) AS DECIMAL(12,2)) AS g) gg
	WHERE p.cat = 'RC'`
}
