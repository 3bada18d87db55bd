package rules

// benefitRules are the rules on unemployment (失业, 210) and work-injury
// (工伤, 410) benefits.
func benefitRules() []Rule {
	return []Rule{
		{Code: "R9", Name: "领取失业金期间单位参保缴费", Insurance: "210", Scope: ScopeSingle, Severity: SeverityHigh,
			Description: "失业金发放 × 缴费明细：同一人同月既领失业金又有单位缴费（个人以灵活就业身份缴费不算）。金额为这些月份的失业金。",
			LegalBasis:  "《失业保险条例》第十五条（重新就业的停止领取）",
			// pay is small; emp is built by probing AC43 with those persons
			// only, so the engine never joins all contributions with AC01.
			SQL: `WITH pay AS (
	SELECT a.aac002, a.aac003, a.aab301, p.aae003, p.aae019
	FROM unemp_pay p JOIN ac01 a ON a.aac001 = p.aac001
), emp AS (
	SELECT DISTINCT x.aac002, c.aae003
	FROM ac43 c JOIN ac01 x ON x.aac001 = c.aac001
	WHERE c.payer = '1' AND x.aac002 IN (SELECT aac002 FROM pay)
)
SELECT 'R9' AS rule_code, pay.aac002 AS subject, MIN(pay.aac003) AS subject_name, MIN(pay.aab301) AS region,
	'210' AS insurance, MIN(pay.aae003) AS period, SUM(pay.aae019) AS amount,
	CONCAT('领取失业金且有单位缴费的月份 ', COUNT(*), ' 个') AS evidence
FROM pay JOIN emp ON emp.aac002 = pay.aac002 AND emp.aae003 = pay.aae003
GROUP BY pay.aac002`},
		{Code: "R10", Name: "失业金应停未停", Insurance: "210", Scope: ScopeSingle, Severity: SeverityHigh,
			Description: "失业金发放 × 养老待遇/司法服刑/户籍：开始领取基本养老金、收监执行、出国(境)定居或服兵役后仍在发放（重新就业见 R9）。",
			LegalBasis:  "《失业保险条例》第十五条",
			SQL: `SELECT 'R10' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	'210' AS insurance, MIN(p.aae003) AS period, SUM(p.aae019) AS amount,
	CONCAT('应停发后仍发放 ', COUNT(*), ' 个月') AS evidence
FROM unemp_pay p
JOIN ac01 a ON a.aac001 = p.aac001
WHERE EXISTS (SELECT 1 FROM pension_pay q JOIN ac01 y ON y.aac001 = q.aac001
		WHERE y.aac002 = a.aac002 AND q.aae003_mi <= p.aae003_mi)
   OR EXISTS (SELECT 1 FROM prison j WHERE j.aac002 = a.aac002 AND j.kind IN ('1', '2', '3')
		AND j.begin_mi <= p.aae003_mi AND COALESCE(j.end_mi, 999999) >= p.aae003_mi)
   OR EXISTS (SELECT 1 FROM household h WHERE h.aac002 = a.aac002 AND h.status IN ('3', '4')
		AND h.change_mi <= p.aae003_mi)
GROUP BY a.aac002`},
		{Code: "R11", Name: "失业金同月重复发放", Insurance: "210", Scope: ScopeSingle, Severity: SeverityMedium,
			Description: "失业金发放：同一人同一所属期发放多于一次；金额为多发部分。",
			LegalBasis:  "《失业保险条例》第十七条、第十八条",
			SQL: `SELECT 'R11' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	'210' AS insurance, p.aae003 AS period, SUM(p.aae019) - MAX(p.aae019) AS amount,
	CONCAT('同月发放 ', COUNT(*), ' 次') AS evidence
FROM unemp_pay p
JOIN ac01 a ON a.aac001 = p.aac001
GROUP BY a.aac002, p.aae003
HAVING COUNT(*) > 1`},
		{Code: "R12", Name: "工伤供养亲属抚恤金应停未停", Insurance: "410", Scope: ScopeSingle, Severity: SeverityHigh,
			Description: "供养亲属抚恤金 × 户籍/就业/婚姻/死亡：子女年满规定年龄且未完全丧失劳动能力、亲属在职（有单位缴费）、配偶再婚、子女被收养、亲属死亡后仍在发放。",
			LegalBasis:  "《工伤保险条例》第三十九条；《因工死亡职工供养亲属范围规定》（劳动和社会保障部令第18号）第三条、第四条",
			Params: []Param{{Name: "adult_age", Type: TypeInteger, Default: "18",
				Description: "子女停发年龄 age at which a child's pension stops"}},
			SQL: `WITH pay AS (
	SELECT d.aac002, d.aac003, d.relation, d.disabled, d.aac006_mi, d.aac001, p.aae003, p.aae003_mi, p.aae019
	FROM injury_dep d JOIN injury_dep_pay p ON p.aac002 = d.aac002
), emp AS (
	SELECT DISTINCT x.aac002, c.aae003
	FROM ac43 c JOIN ac01 x ON x.aac001 = c.aac001
	WHERE c.payer = '1' AND x.aac002 IN (SELECT aac002 FROM injury_dep)
)
SELECT 'R12' AS rule_code, pay.aac002 AS subject, MIN(pay.aac003) AS subject_name, MIN(w.aab301) AS region,
	'410' AS insurance, MIN(pay.aae003) AS period, SUM(pay.aae019) AS amount,
	CONCAT('与职工关系 ', MIN(pay.relation), '；不应发放 ', COUNT(*), ' 个月') AS evidence
FROM pay
JOIN ac01 w ON w.aac001 = pay.aac001
LEFT JOIN emp ON emp.aac002 = pay.aac002 AND emp.aae003 = pay.aae003
WHERE (pay.relation = '2' AND pay.disabled = '0' AND pay.aae003_mi >= pay.aac006_mi + ${adult_age} * 12)
   OR emp.aac002 IS NOT NULL
   OR EXISTS (SELECT 1 FROM death x WHERE x.aac002 = pay.aac002 AND x.death_mi < pay.aae003_mi)
   OR EXISTS (SELECT 1 FROM civil_reg r WHERE r.aac002 = pay.aac002 AND r.reg_mi < pay.aae003_mi
		AND ((r.kind = '1' AND pay.relation = '1') OR (r.kind = '2' AND pay.relation = '2')))
GROUP BY pay.aac002`},
		{Code: "R13", Name: "伤残津贴缺少生存认证", Insurance: "410", Scope: ScopeSingle, Severity: SeverityLow,
			Description: "伤残津贴发放 × 待遇领取资格认证：某年度领取了伤残津贴，该年度却没有认证记录。可选参数 year 只查一个年度。",
			LegalBasis:  "人社厅发〔2018〕107号 关于做好社会保险待遇领取资格确认工作的通知",
			Params: []Param{{Name: "year", Type: TypeInteger,
				Description: "只查这一年度（留空查全部） only this year (empty: all years)"}},
			SQL: `SELECT 'R13' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	'410' AS insurance, p.aae001 AS period, SUM(p.aae019) AS amount,
	CONCAT(p.aae001, ' 年度领取伤残津贴 ', COUNT(*), ' 个月，无资格认证记录') AS evidence
FROM injury_pay p
JOIN ac01 a ON a.aac001 = p.aac001
WHERE NOT EXISTS (SELECT 1 FROM survival_cert s WHERE s.aac001 = p.aac001 AND s.aae001 = p.aae001)
[[ AND p.aae001 = ${year} ]]
GROUP BY a.aac002, p.aae001`},
		{Code: "R14", Name: "先伤后保", Insurance: "410", Scope: ScopeSingle, Severity: SeverityHigh,
			Description: "工伤认定 × 工伤参保：事故发生月没有有效的工伤参保，而参保开始于事故之后。金额为工伤保险基金支付额。",
			LegalBasis:  "《工伤保险条例》第六十二条（未参保期间的工伤由用人单位支付）",
			SQL: `SELECT 'R14' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	'410' AS insurance, c.accident_ym AS period, MAX(c.aae019) AS amount,
	CONCAT('事故日期 ', MIN(c.accident_date), '；工伤参保开始 ', MIN(e.aae030)) AS evidence
FROM injury_case c
JOIN ac01 a ON a.aac001 = c.aac001
JOIN ac02 e ON e.aac001 = c.aac001 AND e.aae140 = '410' AND e.aae030_mi > c.accident_mi
WHERE NOT EXISTS (SELECT 1 FROM ac02 f WHERE f.aac001 = c.aac001 AND f.aae140 = '410'
	AND f.aae030_mi <= c.accident_mi AND COALESCE(f.aae031_mi, 999999) >= c.accident_mi)
GROUP BY a.aac002, c.accident_ym`},
	}
}
