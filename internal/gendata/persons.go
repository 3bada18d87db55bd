package gendata

// step is one generation statement and the warehouse table it fills ("" for
// a temp table).
type step struct {
	table string
	sql   string
}

// markSQL adds the months that several tables and the truth must agree on.
func markSQL() []string {
	return []string{
		`ALTER TABLE g_p ADD COLUMN stop_mi INTEGER`,
		`ALTER TABLE g_p ADD COLUMN stop_kind VARCHAR`,
		// 终止 in the death month or 暂停 the month after is in time; R2
		// plants stop three or four months late.
		`UPDATE g_p SET
			stop_kind = CASE WHEN ev = 'jail' THEN '2' WHEN rx(pid, 'sk', 2) = 0 THEN '3' ELSE '2' END,
			stop_mi = CASE WHEN ev = 'jail' THEN jail_mi
			               WHEN anom = 'R21' THEN death_mi
			               ELSE death_mi + CASE WHEN rx(pid, 'sk', 2) = 0 THEN 0 ELSE 1 END + CASE WHEN anom = 'R2' THEN 3 ELSE 0 END END
			WHERE ev IN ('die', 'jail') OR anom IN ('R2', 'R21')`,
		`UPDATE g_p SET stop_kind = '3' WHERE anom = 'R21'`,
		`ALTER TABLE g_p ADD COLUMN resume_mi INTEGER`,
		`UPDATE g_p SET resume_mi = CASE WHEN anom = 'R23a' THEN {MI0} + 6 + rx(pid, 'r23', 12) WHEN anom = 'R23b' THEN {MI1} - 9 END`,
		`ALTER TABLE g_p ADD COLUMN miss_year INTEGER`,
		`UPDATE g_p SET miss_year = CAST(2022 + rx(pid, 'cy', 3) AS INTEGER) WHERE anom = 'R13'`,
	}
}

// personTablesSQL fills AC01 (with the R22 duplicates), AC02 and its change
// log, retirements, accounts and the 户籍 table.
func personTablesSQL() []step {
	return []step{
		{"ac01", `INSERT INTO ac01 (aac001, aac002, aac003, aac004, aac006, aac006_ymd, aac006_mi, aac007, aac007_mi, aac007_ym,
			aac008, aac084, aic162, aic162_mi, aab301)
		SELECT p.pid, i.aac002, i.aac003, p.sex, p.aac006, strftime(p.aac006, '%Y%m%d'), dmi(p.aac006),
			CASE WHEN p.work_mi IS NOT NULL THEN mdate(p.work_mi, 1 + rx(p.pid, 'wd', 28)) END, p.work_mi, ym(p.work_mi),
			CASE WHEN p.cat IN ('Ws', 'Wc', 'G', 'RC') THEN '1' WHEN p.cat IN ('U', 'I') THEN '2' ELSE '3' END,
			CASE WHEN p.retire_mi IS NOT NULL THEN '1' ELSE '0' END,
			CASE WHEN p.retire_mi IS NOT NULL THEN mdate(p.retire_mi, 1) END, p.retire_mi, r.code
		FROM g_p p JOIN g_id i ON i.src = 'P' AND i.k = p.pid JOIN g_region r ON r.idx = p.cty`},
		// R22 一人多号: a second 个人编号 for the same person in another county.
		{"ac01", `INSERT INTO ac01 (aac001, aac002, aac003, aac004, aac006, aac006_ymd, aac006_mi, aac007, aac007_mi, aac007_ym,
			aac008, aac084, aic162, aic162_mi, aab301)
		SELECT {N} + row_number() OVER (ORDER BY a.aac001), a.aac002, a.aac003, a.aac004, a.aac006, a.aac006_ymd, a.aac006_mi,
			a.aac007, a.aac007_mi, a.aac007_ym, '3', a.aac084, a.aic162, a.aic162_mi, r.code
		FROM ac01 a JOIN g_p p ON p.pid = a.aac001 AND p.anom = 'R22' JOIN g_region r ON r.idx = (p.cty + 1) % {R}`},
		{"ac02", `INSERT INTO ac02 (aac001, aae140, aab001, aae030, aae030_mi, aae031, aae031_mi, aac031)
		SELECT pid, ins, unit, ym(b), b, ym(e), e, st FROM (
			SELECT p.pid, x.ins, p.unit, CASE WHEN x.ins = '410' AND p.anom = 'R14' THEN p.acc_mi + 2 ELSE p.ustart END AS b,
				CAST(NULL AS INTEGER) AS e, '1' AS st
			FROM g_p p, (SELECT unnest(['110', '210', '310', '410']) AS ins) x WHERE p.cat = 'Ws'
			UNION ALL SELECT pid, '170', 0, {MI0} + 12, NULL, '1' FROM g_p WHERE anom = 'R8'
			UNION ALL SELECT p.pid, x.ins, p.punit, p.ustart, p.k - 1, '3' FROM g_p p, (SELECT unnest(['110', '210', '310', '410']) AS ins) x WHERE p.cat = 'Wc'
			UNION ALL SELECT p.pid, x.ins, p.unit, p.k, NULL, '1' FROM g_p p, (SELECT unnest(['110', '210', '310', '410']) AS ins) x WHERE p.cat = 'Wc'
			UNION ALL SELECT p.pid, x.ins, p.unit, p.ustart, NULL, '1' FROM g_p p, (SELECT unnest(['120', '210', '310']) AS ins) x
				WHERE p.cat = 'G' AND NOT (x.ins = '120' AND p.anom IS NOT DISTINCT FROM 'R25')
			UNION ALL SELECT p.pid, x.ins, p.unit, p.ustart, p.l, '2' FROM g_p p, (SELECT unnest(['110', '210', '310', '410']) AS ins) x WHERE p.cat = 'U'
			UNION ALL SELECT pid, '170', 0, greatest(birth_mi + 192, {MI0} - 1 - rx(pid, 'rcb', 120)), NULL, '1' FROM g_p WHERE cat = 'RC'
			UNION ALL SELECT pid, '170', 0, birth_mi + 192 + rx(pid, 'rcb', 120), retire_mi - 1, '3' FROM g_p WHERE cat IN ('RRPo', 'RRPn')
			UNION ALL SELECT pid, CASE WHEN cat = 'GP' THEN '120' ELSE '110' END, unit, ustart, retire_mi, '3' FROM g_p WHERE cat IN ('RPn', 'GP', 'RPe')
			UNION ALL SELECT pid, '110', unit, work_mi, NULL, '2' FROM g_p WHERE cat = 'I'
			UNION ALL SELECT pid, '410', unit, work_mi, NULL, '1' FROM g_p WHERE cat = 'I'
			UNION ALL SELECT p.pid, x.ins, p.unit, p.work_mi, p.death_mi, '3' FROM g_p p, (SELECT unnest(['110', '410']) AS ins) x WHERE p.cat = 'D'
		)`},
		{"ac02_log", `INSERT INTO ac02_log (seq, aac001, aae140, aab001, aae160, aae035, aae035_ym)
		SELECT row_number() OVER (ORDER BY pid, ord), pid, ins, unit, kind, d, ym(dmi(d)) FROM (
			SELECT pid, 1 AS ord, CASE WHEN cat = 'GP' THEN '120' ELSE '110' END AS ins,
				CASE WHEN cat = 'Wc' THEN punit ELSE unit END AS unit, '1' AS kind, mdate(ustart, 3) AS d
			FROM g_p WHERE cat IN ('Ws', 'Wc', 'RPn', 'GP', 'RPe')
			UNION ALL SELECT pid, 2, '110', punit, '2', mdate(k - 1, 25) FROM g_p WHERE cat = 'Wc'
			UNION ALL SELECT pid, 3, '110', unit, '3', mdate(k, 5) FROM g_p WHERE cat = 'Wc'
			UNION ALL SELECT pid, 2, CASE WHEN cat = 'GP' THEN '120' ELSE '110' END, unit, '4', mdate(retire_mi, 1) FROM g_p WHERE cat IN ('RPn', 'GP', 'RPe')
			UNION ALL SELECT pid, 3, '110', unit, '3', mdate(resume_mi, 10) FROM g_p WHERE anom = 'R23a'
			UNION ALL SELECT pid, 2, '110', unit, '2', mdate({MI1} - 8, 20) FROM g_p WHERE anom = 'R23b'
			UNION ALL SELECT pid, 3, '110', unit, '3', mdate(resume_mi, 10) FROM g_p WHERE anom = 'R23b'
		)`},
		{"retire_app", `INSERT INTO retire_app (aac001, aab001, aic162, aic162_ym, aic162_mi, kind)
		SELECT pid, unit, mdate(retire_mi, 1), ym(retire_mi), retire_mi, rkind FROM g_p WHERE cat IN ('RPn', 'GP', 'RPe')`},
		{"ac_account", `INSERT INTO ac_account (aac001, aae140, balance, settled, settle_date)
		SELECT pid, CASE WHEN cat IN ('G', 'GP') THEN '120' ELSE '110' END,
			CASE WHEN death_mi IS NOT NULL AND anom IS DISTINCT FROM 'R21' THEN 0 ELSE CAST(1000 + rx(pid, 'bal', 20000000) / 100.0 AS DECIMAL(14,2)) END,
			CASE WHEN death_mi IS NOT NULL AND anom IS DISTINCT FROM 'R21' THEN '1' ELSE '0' END,
			CASE WHEN death_mi IS NOT NULL AND anom IS DISTINCT FROM 'R21' THEN mdate(death_mi + 2, 15) END
		FROM g_p WHERE cat IN ('Ws', 'Wc', 'G', 'U', 'I', 'RPn', 'RPe', 'GP', 'D')`},
		{"household", `INSERT INTO household (aac002, status, change_date, change_mi)
		SELECT aac002, status, d, dmi(d) FROM (
			SELECT i.aac002,
				CASE WHEN p.death_mi IS NOT NULL THEN '2' WHEN p.ev = 'emig' OR p.anom = 'R10e' THEN '3' WHEN p.anom = 'R10m' THEN '4' ELSE '1' END AS status,
				CASE WHEN p.death_mi IS NOT NULL THEN mdate(p.death_mi, 1 + rx(p.pid, 'dd', 28))
				     WHEN p.ev = 'emig' THEN mdate({MI0} + rx(p.pid, 'em', 30), 15)
				     WHEN p.anom IN ('R10e', 'R10m') THEN mdate(p.l + 3, 8) END AS d
			FROM g_p p JOIN g_id i ON i.src = 'P' AND i.k = p.pid)`},
	}
}
