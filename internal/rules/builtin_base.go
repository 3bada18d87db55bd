package rules

// baseRules check base information (基础信息) and contributions (缴费).
func baseRules() []Rule {
	return []Rule{
		{Code: "R15", Name: "异常提前退休", Insurance: "110", Scope: ScopeNational, Severity: SeverityHigh,
			Description: "退休审批 × 参保信息：特殊工种或因病提前退休，在申报单位参保不满规定月数（临退休转入特殊工种单位），或退休年龄低于该类别的最低年龄。",
			LegalBasis:  "国发〔1978〕104号；劳部发〔1999〕8号 关于制止和纠正违反国家规定办理企业职工提前退休有关问题的通知",
			Params: []Param{
				{Name: "min_tenure_months", Type: TypeInteger, Default: "96", Description: "在申报单位最少参保月数 months at the certifying employer"},
				{Name: "special_age_male", Type: TypeInteger, Default: "55", Description: "特殊工种男性最低退休年龄"},
				{Name: "special_age_female", Type: TypeInteger, Default: "45", Description: "特殊工种女性最低退休年龄"},
				{Name: "sick_age_male", Type: TypeInteger, Default: "50", Description: "因病提前退休男性最低年龄"},
				{Name: "sick_age_female", Type: TypeInteger, Default: "45", Description: "因病提前退休女性最低年龄"},
			},
			SQL: `SELECT 'R15' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	'110' AS insurance, r.aic162_ym AS period, 0 AS amount,
	CONCAT('退休类别 ', r.kind, '；退休时年龄 ', MIN(r.aic162_mi - a.aac006_mi), ' 个月；在申报单位参保 ',
		MIN(r.aic162_mi - COALESCE(e.aae030_mi, r.aic162_mi)), ' 个月') AS evidence
FROM retire_app r
JOIN ac01 a ON a.aac001 = r.aac001
LEFT JOIN ac02 e ON e.aac001 = r.aac001 AND e.aab001 = r.aab001 AND e.aae140 = '110'
WHERE r.kind IN ('2', '3') AND (
	r.aic162_mi - COALESCE(e.aae030_mi, r.aic162_mi) < ${min_tenure_months}
	OR (r.kind = '2' AND a.aac004 = '1' AND r.aic162_mi - a.aac006_mi < ${special_age_male} * 12)
	OR (r.kind = '2' AND a.aac004 = '2' AND r.aic162_mi - a.aac006_mi < ${special_age_female} * 12)
	OR (r.kind = '3' AND a.aac004 = '1' AND r.aic162_mi - a.aac006_mi < ${sick_age_male} * 12)
	OR (r.kind = '3' AND a.aac004 = '2' AND r.aic162_mi - a.aac006_mi < ${sick_age_female} * 12))
GROUP BY a.aac002, r.aic162_ym, r.kind`},
		{Code: "R16", Name: "出生日期与身份证号不符", Insurance: "", Scope: ScopeGeneral, Severity: SeverityLow,
			Description: "人员基本信息：AAC006 出生日期与公民身份号码第 7–14 位不一致（影响待遇领取年龄的计算）。",
			LegalBasis:  "GB 11643-1999 公民身份号码；《居民身份证法》",
			SQL: `SELECT 'R16' AS rule_code, a.aac002 AS subject, a.aac003 AS subject_name, a.aab301 AS region,
	'' AS insurance, a.aac006_ymd AS period, 0 AS amount,
	CONCAT('出生日期 ', a.aac006_ymd, '；身份证号内 ', SUBSTRING(a.aac002, 7, 8)) AS evidence
FROM ac01 a
WHERE SUBSTRING(a.aac002, 7, 8) <> a.aac006_ymd`},
		{Code: "R17", Name: "参加工作时年龄异常", Insurance: "", Scope: ScopeGeneral, Severity: SeverityMedium,
			Description: "人员基本信息：参加工作日期减出生日期不满规定年龄（虚增视同缴费年限的常见手法）。",
			LegalBasis:  "《劳动法》第十五条（禁止招用未满十六周岁的未成年人）",
			Params:      []Param{{Name: "min_age", Type: TypeInteger, Default: "16", Description: "最低参加工作年龄 minimum working age"}},
			SQL: `SELECT 'R17' AS rule_code, a.aac002 AS subject, a.aac003 AS subject_name, a.aab301 AS region,
	'' AS insurance, a.aac007_ym AS period, 0 AS amount,
	CONCAT('出生日期 ', a.aac006, '；参加工作日期 ', a.aac007) AS evidence
FROM ac01 a
WHERE a.aac007_mi - a.aac006_mi < ${min_age} * 12`},
		{Code: "R18", Name: "缴费金额低于基数比例", Insurance: "110", Scope: ScopeSingle, Severity: SeverityMedium,
			Description: "缴费明细：职工/机关养老个人缴费低于缴费基数 × 个人费率（容差为分位取整）；金额为少缴部分。",
			LegalBasis:  "国发〔2005〕38号（个人缴费比例 8%）；《社会保险费征缴暂行条例》",
			Params: []Param{
				{Name: "rate", Type: TypeNumber, Default: "0.08", Description: "个人缴费比例 personal rate"},
				{Name: "tolerance", Type: TypeNumber, Default: "0.01", Description: "容差（元） rounding tolerance in yuan"},
			},
			SQL: `SELECT 'R18' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	MIN(c.aae140) AS insurance, MIN(c.aae003) AS period,
	SUM(c.aic020 * CAST(${rate} AS DECIMAL(9,4)) - c.aae022) AS amount,
	CONCAT('个人缴费低于基数×比例的月份 ', COUNT(*), ' 个') AS evidence
FROM ac43 c
JOIN ac01 a ON a.aac001 = c.aac001
WHERE c.aae140 IN ('110', '120')
  AND c.aae022 + CAST(${tolerance} AS DECIMAL(9,2)) < c.aic020 * CAST(${rate} AS DECIMAL(9,4))
GROUP BY a.aac002`},
		{Code: "R19", Name: "欠费", Insurance: "", Scope: ScopeGeneral, Severity: SeverityMedium,
			Description: "缴费明细：单位缴费记录未到账（AAE078 = 0），按单位汇总欠费金额（单位+个人部分）。",
			LegalBasis:  "《社会保险法》第六十三条、第八十六条；《社会保险费征缴暂行条例》",
			Params:      []Param{{Name: "min_months", Type: TypeInteger, Default: "1", Description: "最少欠费月数 minimum months in arrears"}},
			SQL: `SELECT 'R19' AS rule_code, u.aab003 AS subject, MIN(u.aab004) AS subject_name, MIN(u.aab301) AS region,
	MIN(c.aae140) AS insurance, MIN(c.aae003) AS period, SUM(c.aae020 + c.aae022) AS amount,
	CONCAT('未到账 ', COUNT(*), ' 条，', COUNT(DISTINCT c.aae003), ' 个月') AS evidence
FROM ac43 c
JOIN ab01 u ON u.aab001 = c.aab001
WHERE c.payer = '1' AND c.aae078 = '0'
GROUP BY u.aab003
HAVING COUNT(DISTINCT c.aae003) >= ${min_months}`},
		{Code: "R20", Name: "缴费基数异常", Insurance: "110", Scope: ScopeNational, Severity: SeverityMedium,
			Description: "缴费明细 × 社平工资：职工/机关养老缴费基数低于社平工资下限比例或高于上限比例。",
			LegalBasis:  "人社部发〔2019〕35号（缴费基数 60%–300%）；《社会保险费征缴暂行条例》",
			Params: []Param{
				{Name: "low", Type: TypeNumber, Default: "0.6", Description: "下限：社平工资的比例 lower bound"},
				{Name: "high", Type: TypeNumber, Default: "3", Description: "上限：社平工资的比例 upper bound"},
			},
			SQL: `SELECT 'R20' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	MIN(c.aae140) AS insurance, MIN(c.aae003) AS period, 0 AS amount,
	CONCAT('缴费基数 ', MIN(c.aic020), '–', MAX(c.aic020), '；社平工资 ', MIN(w.amount), '；异常月份 ', COUNT(*)) AS evidence
FROM ac43 c
JOIN avg_wage w ON w.aae003 = c.aae003
JOIN ac01 a ON a.aac001 = c.aac001
WHERE c.aae140 IN ('110', '120')
  AND (c.aic020 < w.amount * CAST(${low} AS DECIMAL(9,4)) OR c.aic020 > w.amount * CAST(${high} AS DECIMAL(9,4)))
GROUP BY a.aac002`},
		{Code: "R22", Name: "一人多号", Insurance: "", Scope: ScopeGeneral, Severity: SeverityMedium,
			Description: "人员基本信息：同一公民身份号码对应多个个人编号 AAC001（重复建档、跨统筹区重复参保的源头）。关键字为最小的个人编号。",
			LegalBasis:  "金保工程基础信息规范：一人一条有效人员基本信息",
			SQL: `SELECT 'R22' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	'' AS insurance, MIN(a.aac001) AS period, 0 AS amount,
	CONCAT('个人编号 ', MIN(a.aac001), ' 至 ', MAX(a.aac001), ' 共 ', COUNT(*), ' 个') AS evidence
FROM ac01 a
GROUP BY a.aac002
HAVING COUNT(*) > 1`},
		{Code: "R23", Name: "参保恢复异常（事中）", Insurance: "", Scope: ScopeNational, Severity: SeverityMedium,
			Description: "参保变更记录：已退休人员在退休日期之后办理参保恢复；恢复日期早于其前一次暂停日期。重复参保见 R8。",
			LegalBasis:  "《社会保险经办风险管理规定》；事中管控规则",
			SQL: `SELECT 'R23' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	r.aae140 AS insurance, r.aae035_ym AS period, 0 AS amount,
	CONCAT('恢复日期 ', MIN(r.aae035), CASE WHEN MIN(a.aac084) = '1' THEN '；已退休' ELSE '；早于暂停日期' END) AS evidence
FROM ac02_log r
JOIN ac01 a ON a.aac001 = r.aac001
WHERE r.aae160 = '3' AND (
	(a.aac084 = '1' AND a.aic162 IS NOT NULL AND r.aae035 >= a.aic162)
	OR EXISTS (SELECT 1 FROM ac02_log s
		WHERE s.aac001 = r.aac001 AND s.aae140 = r.aae140 AND s.aae160 = '2' AND s.aae035 > r.aae035
		  AND s.seq = (SELECT MAX(s2.seq) FROM ac02_log s2
			WHERE s2.aac001 = r.aac001 AND s2.aae140 = r.aae140 AND s2.aae160 = '2' AND s2.seq < r.seq)))
GROUP BY a.aac002, r.aae140, r.aae035_ym`},
	}
}

// coverageRules find people and employers who should be insured (扩面).
func coverageRules() []Rule {
	return []Rule{
		{Code: "R24", Name: "登记企业未参保", Insurance: "", Scope: ScopeLocal, Severity: SeverityLow,
			Description: "市场主体登记 × 单位基本信息：存续且有从业人员的企业没有社保单位登记。",
			LegalBasis:  "《社会保险法》第五十七条、第五十八条",
			Params:      []Param{{Name: "min_staff", Type: TypeInteger, Default: "1", Description: "最少从业人数 minimum staff"}},
			SQL: `SELECT 'R24' AS rule_code, g.aab003 AS subject, g.aab004 AS subject_name, g.aab301 AS region,
	'' AS insurance, g.reg_ym AS period, 0 AS amount,
	CONCAT('成立日期 ', g.reg_date, '；从业人数 ', g.staff) AS evidence
FROM ent_reg g
WHERE g.status = '1' AND g.staff >= ${min_staff}
  AND NOT EXISTS (SELECT 1 FROM ab01 u WHERE u.aab003 = g.aab003)`},
		{Code: "R25", Name: "财政供养人员未参加机关养老", Insurance: "120", Scope: ScopeLocal, Severity: SeverityMedium,
			Description: "财政工资发放 × 机关事业养老参保：领取财政工资的月份没有有效的 120 参保。",
			LegalBasis:  "国发〔2015〕2号 国务院关于机关事业单位工作人员养老保险制度改革的决定",
			SQL: `SELECT 'R25' AS rule_code, y.aac002 AS subject, MIN(y.aac003) AS subject_name, MIN(u.aab301) AS region,
	'120' AS insurance, MIN(y.aae003) AS period, 0 AS amount,
	CONCAT('财政供养 ', COUNT(*), ' 个月无机关养老参保；单位 ', MIN(u.aab004)) AS evidence
FROM fin_payroll y
JOIN ab01 u ON u.aab001 = y.aab001
WHERE NOT EXISTS (SELECT 1 FROM ac01 a JOIN ac02 e ON e.aac001 = a.aac001
	WHERE a.aac002 = y.aac002 AND e.aae140 = '120'
	  AND e.aae030_mi <= y.aae003_mi AND COALESCE(e.aae031_mi, 999999) >= y.aae003_mi)
GROUP BY y.aac002`},
		{Code: "R27", Name: "特殊群体未参保", Insurance: "170", Scope: ScopeLocal, Severity: SeverityLow,
			Description: "低保/特困/被征地农民名单 × 参保信息：认定时已达规定年龄，却没有任何养老保险（110/120/170）参保记录。",
			LegalBasis:  "国发〔2014〕8号（政府为困难群体代缴）；国办发〔2006〕29号（被征地农民社会保障）",
			Params:      []Param{{Name: "min_age", Type: TypeInteger, Default: "16", Description: "应参保的最低年龄 minimum age"}},
			SQL: `SELECT 'R27' AS rule_code, s.aac002 AS subject, MIN(s.aac003) AS subject_name, MIN(s.aab301) AS region,
	'170' AS insurance, MIN(s.begin_ym) AS period, 0 AS amount,
	CONCAT('特殊群体类别 ', MIN(s.kind), '；认定日期 ', MIN(s.begin_date), '；无养老保险参保') AS evidence
FROM special_group s
WHERE s.begin_mi - s.aac006_mi >= ${min_age} * 12
  AND NOT EXISTS (SELECT 1 FROM ac01 a JOIN ac02 e ON e.aac001 = a.aac001
	WHERE a.aac002 = s.aac002 AND e.aae140 IN ('110', '120', '170'))
GROUP BY s.aac002`},
	}
}
