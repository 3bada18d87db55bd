package gendata

// peopleSQL derives every person's attributes from (seed, pid, category,
// planted anomaly). Normal life events (ev) are only drawn for persons
// without an anomaly, so a planted person never meets a second rule.
func peopleSQL() []string {
	return []string{
		`CREATE OR REPLACE TEMP TABLE g_pa AS
		SELECT p.pid, p.cat, p.anom,
			CASE WHEN p.anom IS NOT NULL THEN NULL
			     WHEN p.cat = 'RPn' AND ux(p.pid, 'ev') < 0.04 THEN 'die'
			     WHEN p.cat = 'RPn' AND ux(p.pid, 'ev') < 0.05 THEN 'jail'
			     WHEN p.cat = 'RPn' AND ux(p.pid, 'ev') < 0.055 THEN 'probation'
			     WHEN p.cat = 'Ws' AND ux(p.pid, 'ev') < 0.01 THEN 'acc'
			     WHEN p.cat = 'Ws' AND ux(p.pid, 'ev') < 0.02 THEN 'marry'
			     WHEN p.cat = 'RC' AND ux(p.pid, 'ev') < 0.30 THEN 'sg'
			     WHEN p.cat = 'RC' AND ux(p.pid, 'ev') < 0.31 THEN 'emig'
			     WHEN p.cat = 'RRPo' AND ux(p.pid, 'ev') < 0.10 THEN 'sg'
			     WHEN p.cat = 'U' AND ux(p.pid, 'ev') < 0.30 THEN 'flex'
			END AS ev,
			CASE WHEN rx(p.pid, 'sex', 2) = 0 THEN '1' ELSE '2' END AS sex,
			CAST(rx(p.pid, 'cty', {R}) AS INTEGER) AS cty,
			CASE p.cat
				WHEN 'Ws' THEN DATE '1963-06-01' + CAST(rx(p.pid, 'b', 14600) AS INTEGER)
				WHEN 'Wc' THEN DATE '1963-06-01' + CAST(rx(p.pid, 'b', 13500) AS INTEGER)
				WHEN 'G' THEN DATE '1963-06-01' + CAST(rx(p.pid, 'b', 13500) AS INTEGER)
				WHEN 'RC' THEN DATE '1962-06-01' + CAST(rx(p.pid, 'b', 15700) AS INTEGER)
				WHEN 'RPn' THEN DATE '1935-01-01' + CAST(rx(p.pid, 'b', 9000) AS INTEGER)
				WHEN 'GP' THEN DATE '1935-01-01' + CAST(rx(p.pid, 'b', 9000) AS INTEGER)
				WHEN 'RPe' THEN DATE '1960-01-01' + CAST(rx(p.pid, 'b', 2150) AS INTEGER)
				WHEN 'RRPo' THEN DATE '1935-01-01' + CAST(rx(p.pid, 'b', 9830) AS INTEGER)
				WHEN 'RRPn' THEN CASE WHEN p.anom = 'R6' THEN DATE '1962-07-01' + CAST(rx(p.pid, 'b', 900) AS INTEGER)
				                      ELSE DATE '1962-01-01' + CAST(rx(p.pid, 'b', 1060) AS INTEGER) END
				WHEN 'U' THEN DATE '1966-01-01' + CAST(rx(p.pid, 'b', 12400) AS INTEGER)
				WHEN 'I' THEN DATE '1960-01-01' + CAST(rx(p.pid, 'b', 10900) AS INTEGER)
				ELSE DATE '1965-01-01' + CAST(rx(p.pid, 'b', 9100) AS INTEGER)
			END AS birth
		FROM g_p1 p`,
		// work_mi: 参加工作 month. Normal persons start at 18–22; R17
		// plants start at 14. Workers are capped so that their spans fit the window.
		`CREATE OR REPLACE TEMP TABLE g_pb AS
		SELECT a.*, dmi(a.birth) AS birth_mi,
			CASE WHEN a.cat IN ('RC', 'RRPo', 'RRPn') THEN NULL
			     WHEN a.anom = 'R17' THEN dmi(a.birth) + 168 + rx(a.pid, 'w', 12)
			     WHEN a.cat = 'Ws' THEN least(dmi(a.birth) + 216 + rx(a.pid, 'w', 60), {MI1} - 12)
			     WHEN a.cat IN ('Wc', 'G', 'U') THEN least(dmi(a.birth) + 216 + rx(a.pid, 'w', 60), {MI0} - 24)
			     ELSE dmi(a.birth) + 216 + rx(a.pid, 'w', 60) END AS work_mi,
			-- retirement: legal age for RPn/GP, early for RPe (R15a plants below the legal minimum)
			CASE WHEN a.cat = 'RPe' THEN CASE WHEN a.anom = 'R15a' OR rx(a.pid, 'rk', 2) = 0 THEN '2' ELSE '3' END
			     WHEN a.cat IN ('RPn', 'GP') THEN '1' END AS rkind
		FROM g_pa a`,
		`CREATE OR REPLACE TEMP TABLE g_pc AS
		SELECT b.*,
			CASE WHEN b.cat = 'RPn' THEN b.birth_mi + CASE WHEN b.sex = '1' THEN 720 WHEN rx(b.pid, 'rf', 2) = 0 THEN 600 ELSE 660 END
			     WHEN b.cat = 'GP' THEN b.birth_mi + CASE WHEN b.sex = '1' THEN 720 ELSE 660 END
			     WHEN b.cat = 'RPe' THEN b.birth_mi + CASE
			          WHEN b.anom = 'R15a' AND b.sex = '1' THEN 624 + rx(b.pid, 'ra', 6)
			          WHEN b.anom = 'R15a' THEN 504 + rx(b.pid, 'ra', 6)
			          WHEN b.rkind = '2' AND b.sex = '1' THEN 660 + rx(b.pid, 'ra', 12)
			          WHEN b.rkind = '3' AND b.sex = '1' THEN 600 + rx(b.pid, 'ra', 48)
			          ELSE 540 + rx(b.pid, 'ra', 48) END
			     WHEN b.cat IN ('RRPo', 'RRPn') THEN b.birth_mi + 720 END AS retire_mi,
			CASE WHEN b.anom = 'R15t' THEN 24 + rx(b.pid, 'ten', 24) ELSE 96 + rx(b.pid, 'ten', 120) END AS tenure,
			-- the current (or last) employer
			CASE WHEN b.cat IN ('Ws', 'Wc') THEN (row_number() OVER (PARTITION BY b.cat IN ('Ws', 'Wc') ORDER BY hx(b.pid, 'unit'), b.pid) - 1) % {UENT} + 1
			     WHEN b.cat = 'G' THEN (row_number() OVER (PARTITION BY b.cat = 'G' ORDER BY hx(b.pid, 'unit'), b.pid) - 1) % {UGOV} + {UENT} + 1
			     ELSE rx(b.pid, 'unit', {UENT}) + 1 END AS unit
		FROM g_pb b`,
		`CREATE OR REPLACE TEMP TABLE g_p AS
		SELECT c.*,
			-- start at the current unit (Wc: at the previous unit; RPe: at the certifying unit)
			CASE WHEN c.cat = 'Ws' THEN c.work_mi + rx(c.pid, 'us', greatest(1, {MI1} - 12 - c.work_mi + 1))
			     WHEN c.cat IN ('Wc', 'G', 'U') THEN c.work_mi + rx(c.pid, 'us', greatest(1, {MI0} - c.work_mi))
			     WHEN c.cat = 'RPe' THEN c.retire_mi - c.tenure
			     ELSE c.work_mi END AS ustart,
			(c.unit + rx(c.pid, 'pu', {UENT} - 1)) % {UENT} + 1 AS punit,
			{MI0} + 6 + rx(c.pid, 'k', 24) AS k,
			{MI0} + 2 + rx(c.pid, 'L', 28) AS l,
			-- death month
			CASE WHEN c.ev = 'die' THEN {MI0} + rx(c.pid, 'dm', 35)
			     WHEN c.anom = 'R1' THEN {MI0} + 3 + rx(c.pid, 'dm', 30)
			     WHEN c.anom = 'R2' THEN {MI0} + 3 + rx(c.pid, 'dm', 28)
			     WHEN c.anom = 'R21' THEN {MI0} + rx(c.pid, 'dm', 12)
			     WHEN c.cat = 'D' THEN {MI0} - 1 - rx(c.pid, 'dm', 100) END AS death_mi,
			-- custody
			CASE WHEN c.ev IN ('jail', 'probation') OR c.anom = 'R4' THEN {MI0} + 2 + rx(c.pid, 'jp', 26) END AS jail_mi,
			2 + rx(c.pid, 'jk', 5) AS jail_len,
			CASE WHEN c.anom = 'R16' THEN c.birth + CASE WHEN day(c.birth) <= 14 THEN 7 ELSE -7 END ELSE c.birth END AS aac006,
			CAST(2000 + rx(c.pid, 'pa', 300000) / 100.0 AS DECIMAL(12,2)) AS pamt,
			'6217' || lpad(CAST(c.pid AS VARCHAR), 15, '0') AS card
		FROM g_pc c`,
		`ALTER TABLE g_p ADD COLUMN nu INTEGER`,
		`UPDATE g_p SET nu = least(6 + rx(pid, 'n', 7), {MI1} - l)`,
		// accident month: Ws inside its employment; I before the window; D at death
		`ALTER TABLE g_p ADD COLUMN acc_mi INTEGER`,
		`UPDATE g_p SET acc_mi = CASE
			WHEN cat = 'Ws' AND (ev = 'acc' OR anom = 'R14') THEN greatest(ustart, {MI0}) + 1 + rx(pid, 'A', {MI1} - 3 - greatest(ustart, {MI0}))
			WHEN cat = 'I' THEN work_mi + rx(pid, 'A', greatest(1, {MI0} - 12 - work_mi))
			WHEN cat = 'D' THEN death_mi END`,
		// R12e: a clean D worker whose spouse is an employed Ws person.
		`CREATE OR REPLACE TEMP TABLE g_emap AS
		SELECT d.pid AS dpid, w.pid AS wpid FROM
			(SELECT pid, row_number() OVER (ORDER BY hx(pid, 'em'), pid) AS rn FROM g_p WHERE cat = 'D' AND anom IS NULL) d
			JOIN (SELECT pid, row_number() OVER (ORDER BY hx(pid, 'em'), pid) AS rn FROM g_p WHERE anom = 'R12e') w ON w.rn = d.rn`,
		// Dependants (供养亲属) of D workers: a spouse, up to two children, maybe a parent.
		`CREATE OR REPLACE TEMP TABLE g_dep AS
		SELECT p.pid * 10 + 1 AS dkey, p.pid AS wpid, '1' AS rel,
			CASE WHEN p.anom IN ('R12r', 'R12d') THEN p.anom WHEN m.wpid IS NOT NULL THEN 'R12e' END AS var,
			m.wpid AS idpid,
			p.birth + CAST(rx(p.pid, 'sb', 2190) AS INTEGER) - 1095 AS birth, '0' AS disabled,
			CASE WHEN p.sex = '1' THEN '2' ELSE '1' END AS sex
		FROM g_p p LEFT JOIN g_emap m ON m.dpid = p.pid WHERE p.cat = 'D'
		UNION ALL
		SELECT p.pid * 10 + 1 + j, p.pid, '2',
			CASE WHEN j = 1 AND p.anom IN ('R12a', 'R12o') THEN p.anom END, NULL,
			CASE WHEN j = 1 AND p.anom = 'R12a' THEN DATE '2004-03-01' + CAST(rx(p.pid, 'cb', 950) AS INTEGER)
			     WHEN j = 1 AND p.anom = 'R12o' THEN DATE '2008-01-01' + CAST(rx(p.pid, 'cb', 3000) AS INTEGER)
			     ELSE DATE '2005-01-01' + CAST(rx(p.pid * 10 + j, 'cb', 5000) AS INTEGER) END,
			CASE WHEN p.anom IS NULL AND rx(p.pid * 10 + j, 'dis', 20) = 0 THEN '1' ELSE '0' END,
			CASE WHEN rx(p.pid * 10 + j, 'sex', 2) = 0 THEN '1' ELSE '2' END
		FROM g_p p, range(1, 3) r(j)
		WHERE p.cat = 'D' AND j <= CASE WHEN p.anom IN ('R12a', 'R12o') THEN greatest(1, rx(p.pid, 'nc', 3)) ELSE rx(p.pid, 'nc', 3) END
		UNION ALL
		SELECT p.pid * 10 + 4, p.pid, '3', NULL, NULL, DATE '1940-01-01' + CAST(rx(p.pid, 'pb', 5500) AS INTEGER), '0',
			CASE WHEN rx(p.pid, 'ps', 2) = 0 THEN '1' ELSE '2' END
		FROM g_p p WHERE p.cat = 'D' AND rx(p.pid, 'par', 10) < 3`,
		`ALTER TABLE g_dep ADD COLUMN ev_mi INTEGER`,
		`UPDATE g_dep SET ev_mi = {MI0} + 3 + rx(dkey, 'T', 28) WHERE var IN ('R12r', 'R12d', 'R12o')`,
		// Special-group members outside AC01: children (not of working age,
		// clean) and R27 plants (of working age, never enrolled).
		`CREATE OR REPLACE TEMP TABLE g_sgo AS
		SELECT i AS k, 'K' AS kind, DATE '2010-01-01' + CAST(rx(i, 'kb', 3650) AS INTEGER) AS birth FROM range(1, {NKIDS} + 1) t(i)
		UNION ALL
		SELECT 100000000 + i, 'A', DATE '1970-01-01' + CAST(rx(i, 'ab', 11000) AS INTEGER)
		FROM range(1, greatest(1, CAST(round({RATE} * (SELECT count(*) FROM g_p WHERE ev = 'sg')) AS BIGINT)) + 1) t(i)`,
		`ALTER TABLE g_sgo ADD COLUMN begin_mi INTEGER`,
		`UPDATE g_sgo SET begin_mi = CASE WHEN kind = 'K' THEN dmi(birth) + 24 + rx(k, 'bm', 150)
			ELSE greatest(dmi(birth) + 200, {MI0} - 60) + rx(k, 'bm', 24) END`,
		// Every identity that needs a 公民身份号码: persons, dependants, the
		// strangers holding R3 cards, special-group outsiders. The 3-digit
		// sequence is numbered inside (county, birth date, sex), so numbers
		// never collide; odd for men, even for women (GB 11643).
		`CREATE OR REPLACE TEMP TABLE g_idsrc AS
		SELECT 'P' AS src, pid AS k, cty, birth, sex FROM g_p
		UNION ALL SELECT 'DEP', dkey, CAST(rx(dkey, 'dc', {R}) AS INTEGER), birth, sex FROM g_dep WHERE idpid IS NULL
		UNION ALL SELECT 'CH', pid, cty, DATE '1970-01-01' + CAST(rx(pid, 'chb', 12000) AS INTEGER), '1' FROM g_p WHERE anom = 'R3'
		UNION ALL SELECT 'SG', k, CAST(rx(k, 'sc', {R}) AS INTEGER), birth, CASE WHEN rx(k, 'ss', 2) = 0 THEN '1' ELSE '2' END FROM g_sgo`,
		`CREATE OR REPLACE TEMP TABLE g_id AS
		SELECT src, k, body || idchk(body) AS aac002, pname(k, src) AS aac003 FROM (
			SELECT s.src, s.k, r.code || strftime(s.birth, '%Y%m%d')
				|| lpad(CAST(2 * row_number() OVER (PARTITION BY s.cty, s.birth, s.sex ORDER BY s.src, s.k) - CASE WHEN s.sex = '1' THEN 1 ELSE 0 END AS VARCHAR), 3, '0') AS body
			FROM g_idsrc s JOIN g_region r ON r.idx = s.cty)`,
	}
}
