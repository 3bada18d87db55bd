package gendata

// outsideTablesSQL fills the outside data: deaths (公安/民政/卫健), custody
// (司法), marriages and adoptions (民政), payroll (财政), special groups.
func outsideTablesSQL() []step {
	return []step{
		{"death", `INSERT INTO death (aac002, aac003, death_date, death_ym, death_mi, source)
		SELECT i.aac002, i.aac003, x.d, ym(dmi(x.d)), dmi(x.d), x.src FROM (
			SELECT p.pid, mdate(p.death_mi, 1 + rx(p.pid, 'dd', 28)) AS d, s.src
			FROM g_p p, (SELECT unnest(['公安', '民政']) AS src) s
			WHERE p.death_mi IS NOT NULL AND (s.src = '公安' OR rx(p.pid, 'ds', 2) = 0)) x
		JOIN g_id i ON i.src = 'P' AND i.k = x.pid
		UNION ALL
		SELECT aac002, aac003, mdate(ev_mi, 12), ym(ev_mi), ev_mi, '卫健' FROM g_depx WHERE var = 'R12d'`},
		{"prison", `INSERT INTO prison (aac002, begin_date, begin_mi, end_date, end_mi, kind)
		SELECT i.aac002, b, dmi(b), e, dmi(e), kind FROM (
			SELECT pid, mdate(jail_mi, 1 + rx(pid, 'jd', 28)) AS b, mdate(jail_mi + jail_len, 28) AS e,
				CASE WHEN anom = 'R4' THEN '2'
				     WHEN ev = 'jail' THEN CASE WHEN rx(pid, 'jt', 2) = 0 THEN '1' ELSE '2' END
				     ELSE CASE WHEN rx(pid, 'jt', 2) = 0 THEN '4' ELSE '5' END END AS kind
			FROM g_p WHERE jail_mi IS NOT NULL
			UNION ALL SELECT pid, mdate(l + 3, 5), NULL, '2' FROM g_p WHERE anom = 'R10j') x
		JOIN g_id i ON i.src = 'P' AND i.k = x.pid`},
		{"civil_reg", `INSERT INTO civil_reg (aac002, kind, reg_date, reg_mi)
		SELECT aac002, CASE WHEN var = 'R12r' THEN '1' ELSE '2' END, mdate(ev_mi, 16), ev_mi FROM g_depx WHERE var IN ('R12r', 'R12o')
		UNION ALL
		SELECT i.aac002, '1', mdate({MI0} + rx(p.pid, 'mr', 36), 12), {MI0} + rx(p.pid, 'mr', 36)
		FROM g_p p JOIN g_id i ON i.src = 'P' AND i.k = p.pid WHERE p.ev = 'marry'`},
		{"fin_payroll", `INSERT INTO fin_payroll (aac002, aac003, aab001, aae003, aae003_mi, amount)
		SELECT i.aac002, i.aac003, p.unit, ym(m.mi), m.mi, CAST(5000 + rx(p.pid, 'pay', 800000) / 100.0 AS DECIMAL(12,2))
		FROM g_p p JOIN g_id i ON i.src = 'P' AND i.k = p.pid, LATERAL (SELECT unnest(generate_series({MI0}, {MI1})) AS mi) m
		WHERE p.cat = 'G'`},
		{"special_group", `INSERT INTO special_group (aac002, aac003, aac006_mi, kind, begin_date, begin_ym, begin_mi, aab301)
		SELECT i.aac002, i.aac003, p.birth_mi, CAST(1 + rx(p.pid, 'sgk', 3) AS VARCHAR), b, ym(dmi(b)), dmi(b), r.code
		FROM (SELECT g.*, mdate({MI0} - 1 - rx(g.pid, 'sgb', 84), 10) AS b FROM g_p g WHERE g.ev = 'sg') p
		JOIN g_id i ON i.src = 'P' AND i.k = p.pid JOIN g_region r ON r.idx = p.cty
		UNION ALL
		SELECT i.aac002, i.aac003, dmi(o.birth), CASE WHEN o.kind = 'K' THEN '1' ELSE '3' END, mdate(o.begin_mi, 20), ym(o.begin_mi), o.begin_mi, r.code
		FROM g_sgo o JOIN g_id i ON i.src = 'SG' AND i.k = o.k JOIN g_region r ON r.idx = CAST(rx(o.k, 'sc', {R}) AS INTEGER)`},
	}
}
