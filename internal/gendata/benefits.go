package gendata

// benefitTablesSQL fills the benefit payments and what goes with them.
func benefitTablesSQL() []step {
	return []step{
		// Pension streams: from, to, an optional suspended span (custody).
		{"", `CREATE OR REPLACE TEMP TABLE g_ps AS
		SELECT pid, '110' AS ins, {MI0} AS f,
			CASE WHEN death_mi IS NOT NULL AND anom IS DISTINCT FROM 'R1' THEN death_mi ELSE {MI1} END AS t,
			pamt AS amt, cty, CASE WHEN ev = 'jail' THEN jail_mi END AS sf, CASE WHEN ev = 'jail' THEN jail_mi + jail_len END AS st
		FROM g_p WHERE cat = 'RPn'
		UNION ALL SELECT pid, '110', {MI0} + 24, {MI1}, pamt, (cty + 1) % {R}, NULL, NULL FROM g_p WHERE anom = 'R5a'
		UNION ALL SELECT pid, '120', {MI0} + 24, {MI1}, pamt + 1000, cty, NULL, NULL FROM g_p WHERE anom = 'R5b'
		UNION ALL SELECT pid, '170', {MI0} + 24, {MI1}, CAST(150 + rx(pid, 'ra7', 20000) / 100.0 AS DECIMAL(12,2)), cty, NULL, NULL FROM g_p WHERE anom = 'R7'
		UNION ALL SELECT pid, '120', {MI0}, {MI1}, pamt + 2000, cty, NULL, NULL FROM g_p WHERE cat = 'GP'
		UNION ALL SELECT pid, '110', {MI0}, {MI1}, pamt, cty, NULL, NULL FROM g_p WHERE cat = 'RPe'
		UNION ALL SELECT pid, '170', CASE WHEN cat = 'RRPo' THEN {MI0} WHEN anom = 'R6' THEN retire_mi - 6 ELSE retire_mi END, {MI1},
			CAST(150 + rx(pid, 'rr', 20000) / 100.0 AS DECIMAL(12,2)), cty, NULL, NULL FROM g_p WHERE cat IN ('RRPo', 'RRPn')
		UNION ALL SELECT pid, '110', l + 3, {MI1}, pamt, cty, NULL, NULL FROM g_p WHERE anom = 'R10p'`},
		{"pension_pay", `INSERT INTO pension_pay (aac001, aae140, aae003, aae003_mi, aae019, aaz500, aab301)
		SELECT s.pid, s.ins, ym(s.mi), s.mi, s.amt, '6217' || lpad(CAST(s.pid AS VARCHAR), 15, '0'), r.code
		FROM (SELECT g.*, unnest(generate_series(g.f, g.t)) AS mi FROM g_ps g) s JOIN g_region r ON r.idx = s.cty
		WHERE s.sf IS NULL OR s.mi < s.sf OR s.mi > s.st`},
		{"pension_stop", `INSERT INTO pension_stop (aac001, aae140, aae160, aae003, aae003_mi, reason)
		SELECT pid, '110', stop_kind, ym(stop_mi), stop_mi, CASE WHEN ev = 'jail' THEN '服刑' ELSE '死亡' END
		FROM g_p WHERE stop_mi IS NOT NULL`},
		{"card_holder", `INSERT INTO card_holder (aaz500, aac002, aac003)
		SELECT '6217' || lpad(CAST(p.pid AS VARCHAR), 15, '0'), i.aac002, i.aac003
		FROM (SELECT DISTINCT pid FROM g_ps) s JOIN g_p p ON p.pid = s.pid
		JOIN g_id i ON i.src = CASE WHEN p.anom = 'R3' THEN 'CH' ELSE 'P' END AND i.k = p.pid`},
		{"unemp_pay", `INSERT INTO unemp_pay (pay_id, aac001, aae003, aae003_mi, aae019)
		SELECT row_number() OVER (ORDER BY pid, mi, dup), pid, ym(mi), mi, amt FROM (
			SELECT p.pid, m.mi, 0 AS dup, CAST(1500 + rx(p.pid, 'ua', 50000) / 100.0 AS DECIMAL(12,2)) AS amt
			FROM g_p p, LATERAL (SELECT unnest(generate_series(p.l + 1, p.l + p.nu)) AS mi) m WHERE p.cat = 'U'
			UNION ALL
			SELECT pid, l + 2, 1, CAST(1500 + rx(pid, 'ua', 50000) / 100.0 AS DECIMAL(12,2)) FROM g_p WHERE anom = 'R11')`},
		{"injury_case", `INSERT INTO injury_case (aac001, aab001, accident_date, accident_ym, accident_mi, aae019)
		SELECT pid, unit, mdate(acc_mi, 1 + rx(pid, 'ad', 28)), ym(acc_mi), acc_mi, CAST(20000 + rx(pid, 'ic', 8000000) / 100.0 AS DECIMAL(12,2))
		FROM g_p WHERE acc_mi IS NOT NULL`},
		{"injury_pay", `INSERT INTO injury_pay (aac001, aae003, aae001, aae019)
		SELECT p.pid, ym(m.mi), CAST(m.mi // 12 AS INTEGER), CAST(2500 + rx(p.pid, 'ip', 200000) / 100.0 AS DECIMAL(12,2))
		FROM g_p p, LATERAL (SELECT unnest(generate_series({MI0}, {MI1})) AS mi) m WHERE p.cat = 'I'`},
		{"survival_cert", `INSERT INTO survival_cert (aac001, cert_date, aae001)
		SELECT p.pid, mdate(y * 12 + rx(p.pid * 10000 + y, 'cm', 12), 10), y
		FROM g_p p, (SELECT unnest([2022, 2023, 2024]) AS y) yy
		WHERE p.cat = 'I' AND y IS DISTINCT FROM p.miss_year`},
		{"", `CREATE OR REPLACE TEMP TABLE g_depx AS
		SELECT d.*, i.aac002, i.aac003, COALESCE(w.birth, d.birth) AS rbirth
		FROM g_dep d LEFT JOIN g_p w ON w.pid = d.idpid
		JOIN g_id i ON i.src = CASE WHEN d.idpid IS NULL THEN 'DEP' ELSE 'P' END AND i.k = COALESCE(d.idpid, d.dkey)`},
		{"injury_dep", `INSERT INTO injury_dep (aac002, aac003, aac006, aac006_mi, aac001, relation, disabled)
		SELECT aac002, aac003, rbirth, dmi(rbirth), wpid, rel, disabled FROM g_depx`},
		// A child's pension stops the month it turns 18 unless it cannot
		// work; R12a plants keep paying.
		{"injury_dep_pay", `INSERT INTO injury_dep_pay (aac002, aae003, aae003_mi, aae019)
		SELECT d.aac002, ym(m.mi), m.mi, CAST(800 + rx(d.dkey, 'da', 60000) / 100.0 AS DECIMAL(12,2))
		FROM g_depx d, LATERAL (SELECT unnest(generate_series({MI0}, {MI1})) AS mi) m
		WHERE NOT (d.rel = '2' AND d.disabled = '0' AND d.var IS DISTINCT FROM 'R12a' AND m.mi >= dmi(d.birth) + 216)`},
		{"avg_wage", `INSERT INTO avg_wage (aae003, amount) SELECT aae003, amount FROM g_wage`},
	}
}
