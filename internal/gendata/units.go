package gendata

// unitsSQL creates the units (AB01), the market registry (ent_reg) with its
// normal extras (cancelled, no staff) and R24 plants, and marks R19 units.
// 统一社会信用代码: 91 (工商, 企业) or 11 (机构编制, 机关) + county + a
// 9-character organisation code (GB 11714 check) + the GB 32100 check. The
// organisation number is unit × 7919 mod 10⁸, a bijection, so codes never
// collide.
func unitsSQL() []string {
	return []string{
		`CREATE OR REPLACE TEMP MACRO org8(u) AS lpad(CAST((CAST(u AS HUGEINT) * 7919 + CAST(hash({SEED}, 'org') % 100000000 AS HUGEINT)) % 100000000 AS VARCHAR), 8, '0')`,
		`CREATE OR REPLACE TEMP MACRO uscc17(pre, cty, u) AS pre || cty || org8(u) || orgchk(org8(u))`,
		`CREATE OR REPLACE TEMP MACRO uscc(pre, cty, u) AS uscc17(pre, cty, u) || usccchk(uscc17(pre, cty, u))`,
		`CREATE OR REPLACE TEMP MACRO uname(u, city) AS city || list_extract({BRANDS}, CAST(rx(u, 'br', len({BRANDS})) + 1 AS INTEGER))
			|| list_extract({TRADES}, CAST(rx(u, 'tr', len({TRADES})) + 1 AS INTEGER)) || '有限公司'`,
		`CREATE OR REPLACE TEMP TABLE g_unit AS
		SELECT u AS aab001, u <= {UENT} AS ent, CAST(rx(u, 'uc', {R}) AS INTEGER) AS cty,
			u <= {UENT} AND row_number() OVER (PARTITION BY u <= {UENT} ORDER BY hx(u, 'r19'), u) <= greatest(1, CAST(round({RATE} * {UENT}) AS BIGINT)) AS r19
		FROM range(1, {UENT} + {UGOV} + 1) t(u)`,
		// Registry entries that are not AB01 units: C cancelled, Z no staff
		// (both clean), A active with staff and never registered (R24).
		`CREATE OR REPLACE TEMP TABLE g_ereg AS
		SELECT {UENT} + {UGOV} + i AS aab001, CASE WHEN i <= greatest(2, {UENT} // 20) THEN 'C'
				WHEN i <= 2 * greatest(2, {UENT} // 20) THEN 'Z' ELSE 'A' END AS kind,
			CAST(rx(i, 'ec', {R}) AS INTEGER) AS cty
		FROM range(1, 2 * greatest(2, {UENT} // 20) + greatest(1, CAST(round({RATE} * {UENT}) AS BIGINT)) + 1) t(i)`,
	}
}

// unitTablesSQL fills AB01 and ent_reg.
func unitTablesSQL() []step {
	return []step{
		{"ab01", `INSERT INTO ab01 (aab001, aab003, aab004, aab019, aab301)
		SELECT u.aab001, uscc(CASE WHEN u.ent THEN '91' ELSE '11' END, r.code, u.aab001),
			CASE WHEN u.ent THEN uname(u.aab001, r.city)
			     ELSE r.city || '市' || list_extract(` + "{AGENCIES}" + `, CAST(rx(u.aab001, 'ag', 10) + 1 AS INTEGER)) END,
			CASE WHEN u.ent THEN '10' ELSE '30' END, r.code
		FROM g_unit u JOIN g_region r ON r.idx = u.cty`},
		{"ent_reg", `INSERT INTO ent_reg (aab003, aab004, reg_date, reg_ym, status, staff, aab301)
		SELECT uscc('91', r.code, u.aab001), uname(u.aab001, r.city), DATE '2000-01-01' + CAST(rx(u.aab001, 'rd', 8000) AS INTEGER),
			ym(dmi(DATE '2000-01-01' + CAST(rx(u.aab001, 'rd', 8000) AS INTEGER))), '1', CAST(1 + rx(u.aab001, 'st', 300) AS INTEGER), r.code
		FROM g_unit u JOIN g_region r ON r.idx = u.cty WHERE u.ent
		UNION ALL
		SELECT uscc('91', r.code, e.aab001), uname(e.aab001, r.city), DATE '2005-01-01' + CAST(rx(e.aab001, 'rd', 6500) AS INTEGER),
			ym(dmi(DATE '2005-01-01' + CAST(rx(e.aab001, 'rd', 6500) AS INTEGER))),
			CASE WHEN e.kind = 'C' THEN '2' ELSE '1' END,
			CASE WHEN e.kind = 'A' THEN CAST(1 + rx(e.aab001, 'st', 50) AS INTEGER) ELSE 0 END, r.code
		FROM g_ereg e JOIN g_region r ON r.idx = e.cty`},
	}
}
