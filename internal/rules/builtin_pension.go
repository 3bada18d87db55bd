package rules

// firstDeath is each person's earliest death record: 公安, 民政 and 卫健
// may each report the same death, and a join on death must not count a
// payment once per source.
const firstDeath = `(SELECT aac002, MIN(death_mi) AS death_mi, MIN(death_ym) AS death_ym, MIN(death_date) AS death_date
	FROM death GROUP BY aac002)`

// pensionRules are the rules on pension benefits (养老待遇).
func pensionRules() []Rule {
	grace := Param{Name: "grace_months", Type: TypeInteger, Default: "0",
		Description: "死亡月之后仍容许的月数（数据交换延迟） months after the death month still tolerated"}
	return []Rule{
		{Code: "R1", Name: "死亡人员冒领养老金", Insurance: "110", Scope: ScopeNational, Severity: SeverityHigh,
			Description: "养老待遇发放 × 公安/民政/卫健死亡信息：死亡月之后仍有发放，冒领金额为死亡后各月发放之和。Pension paid for months after the death month.",
			LegalBasis:  "《社会保险法》第八十八条；《社会保险基金行政监督办法》",
			Params:      []Param{grace},
			SQL: `SELECT 'R1' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	MIN(p.aae140) AS insurance, MIN(p.aae003) AS period, SUM(p.aae019) AS amount,
	CONCAT('死亡日期 ', MIN(d.death_date), '；死亡后发放 ', COUNT(*), ' 个月') AS evidence
FROM pension_pay p
JOIN ac01 a ON a.aac001 = p.aac001
JOIN ` + firstDeath + ` d ON d.aac002 = a.aac002
WHERE p.aae003_mi > d.death_mi + ${grace_months}
GROUP BY a.aac002`},
		{Code: "R2", Name: "死亡后未及时停发", Insurance: "110", Scope: ScopeNational, Severity: SeverityMedium,
			Description: "待遇停发记录 × 死亡信息：暂停时死亡月早于停发月前一月，终止时死亡月早于停发月。The stop came too late after the death.",
			LegalBasis:  "《社会保险法》第八十八条；人社部《养老保险待遇领取资格认证》相关规定",
			Params:      []Param{grace},
			SQL: `SELECT 'R2' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	MIN(s.aae140) AS insurance, MIN(s.aae003) AS period, 0 AS amount,
	CONCAT('死亡月 ', MIN(d.death_ym), '；停发所属期 ', MIN(s.aae003), '；类型 ', MIN(s.aae160)) AS evidence
FROM pension_stop s
JOIN ac01 a ON a.aac001 = s.aac001
JOIN ` + firstDeath + ` d ON d.aac002 = a.aac002
WHERE (s.aae160 = '2' AND d.death_mi < s.aae003_mi - 1 - ${grace_months})
   OR (s.aae160 = '3' AND d.death_mi < s.aae003_mi - ${grace_months})
GROUP BY a.aac002`},
		{Code: "R3", Name: "健在但非本人持卡", Insurance: "110", Scope: ScopeNational, Severity: SeverityMedium,
			Description: "待遇发放卡 × 持卡人信息：领取人健在（无死亡记录），发放卡的持卡人却是他人。Benefit paid into a card someone else holds.",
			LegalBasis:  "《社会保障卡管理办法》；《社会保险法》第八十八条",
			SQL: `SELECT 'R3' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	MIN(p.aae140) AS insurance, MAX(p.aae003) AS period, SUM(p.aae019) AS amount,
	CONCAT('卡号 ', p.aaz500, '；持卡人 ', MIN(h.aac003), ' ', MIN(h.aac002)) AS evidence
FROM pension_pay p
JOIN ac01 a ON a.aac001 = p.aac001
JOIN card_holder h ON h.aaz500 = p.aaz500
WHERE h.aac002 <> a.aac002
  AND NOT EXISTS (SELECT 1 FROM death x WHERE x.aac002 = a.aac002)
GROUP BY a.aac002, p.aaz500`},
		{Code: "R4", Name: "服刑期间领取养老待遇", Insurance: "110", Scope: ScopeNational, Severity: SeverityHigh,
			Description: "养老待遇发放 × 司法服刑信息：拘役、有期徒刑及以上羁押期间的月份仍有发放（管制、缓刑不停发）。Pension paid during custody.",
			LegalBasis:  "劳社厅函〔2001〕44号 关于退休人员被判刑后有关养老保险待遇问题的复函",
			SQL: `SELECT 'R4' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	MIN(p.aae140) AS insurance, MIN(p.aae003) AS period, SUM(p.aae019) AS amount,
	CONCAT('服刑开始 ', MIN(j.begin_date), '；刑罚 ', MIN(j.kind), '；期间发放 ', COUNT(*), ' 个月') AS evidence
FROM pension_pay p
JOIN ac01 a ON a.aac001 = p.aac001
JOIN prison j ON j.aac002 = a.aac002
WHERE j.kind IN ('1', '2', '3')
  AND p.aae003_mi >= j.begin_mi AND p.aae003_mi <= COALESCE(j.end_mi, 999999)
GROUP BY a.aac002`},
		{Code: "R5", Name: "重复领取养老待遇", Insurance: "", Scope: ScopeNational, Severity: SeverityHigh,
			Description: "职工(110)/机关(120)养老之间、或同一居民养老(170)在两个统筹区，同一人同月领取两份。金额为多领部分。The same person paid twice for a month (居民 versus 职工 is R7).",
			LegalBasis:  "《社会保险法》第八十八条；《城镇企业职工基本养老保险关系转移接续暂行办法》",
			SQL: `SELECT 'R5' AS rule_code, t.aac002 AS subject, MIN(t.aac003) AS subject_name, MIN(t.aab301) AS region,
	MIN(t.ins_lo) AS insurance, MIN(t.aae003) AS period, SUM(t.extra) AS amount,
	CONCAT('重复月份 ', COUNT(*), ' 个；险种 ', MIN(t.ins_lo), '/', MAX(t.ins_hi), '；统筹区 ', MAX(t.regions), ' 个') AS evidence
FROM (
	SELECT a.aac002, MIN(a.aac003) AS aac003, MIN(a.aab301) AS aab301, p.aae003,
		SUM(p.aae019) - MAX(p.aae019) AS extra, MIN(p.aae140) AS ins_lo, MAX(p.aae140) AS ins_hi,
		COUNT(DISTINCT p.aab301) AS regions
	FROM pension_pay p
	JOIN ac01 a ON a.aac001 = p.aac001
	GROUP BY a.aac002, p.aae003, CASE WHEN p.aae140 = '170' THEN 'R' ELSE 'E' END
	HAVING COUNT(*) > 1
) t
GROUP BY t.aac002`},
		{Code: "R6", Name: "居民养老未满60岁领取", Insurance: "170", Scope: ScopeSingle, Severity: SeverityMedium,
			Description: "城乡居民养老发放 × 出生日期：领取月份未满规定年龄。170 pension paid before the minimum age.",
			LegalBasis:  "国发〔2014〕8号 国务院关于建立统一的城乡居民基本养老保险制度的意见",
			Params: []Param{{Name: "min_age", Type: TypeInteger, Default: "60",
				Description: "领取年龄（周岁） minimum age"}},
			SQL: `SELECT 'R6' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	'170' AS insurance, MIN(p.aae003) AS period, SUM(p.aae019) AS amount,
	CONCAT('出生日期 ', MIN(a.aac006), '；未满龄领取 ', COUNT(*), ' 个月') AS evidence
FROM pension_pay p
JOIN ac01 a ON a.aac001 = p.aac001
WHERE p.aae140 = '170' AND p.aae003_mi < a.aac006_mi + ${min_age} * 12
GROUP BY a.aac002`},
		{Code: "R7", Name: "居民养老与其他养老待遇重复领取", Insurance: "170", Scope: ScopeNational, Severity: SeverityHigh,
			Description: "同一人同月既领城乡居民养老(170)又领职工(110)或机关(120)养老；金额为重复月份的居民养老。",
			LegalBasis:  "国发〔2014〕8号；《城乡养老保险制度衔接暂行办法》",
			SQL: `SELECT 'R7' AS rule_code, t.aac002 AS subject, MIN(t.aac003) AS subject_name, MIN(t.aab301) AS region,
	'170' AS insurance, MIN(t.aae003) AS period, SUM(t.resident) AS amount,
	CONCAT('同月领取居民养老和职工/机关养老 ', COUNT(*), ' 个月') AS evidence
FROM (
	SELECT a.aac002, MIN(a.aac003) AS aac003, MIN(a.aab301) AS aab301, p.aae003,
		SUM(CASE WHEN p.aae140 = '170' THEN p.aae019 ELSE 0 END) AS resident
	FROM pension_pay p
	JOIN ac01 a ON a.aac001 = p.aac001
	GROUP BY a.aac002, p.aae003
	HAVING SUM(CASE WHEN p.aae140 = '170' THEN 1 ELSE 0 END) > 0
	   AND SUM(CASE WHEN p.aae140 IN ('110', '120') THEN 1 ELSE 0 END) > 0
) t
GROUP BY t.aac002`},
		{Code: "R8", Name: "重复参保", Insurance: "", Scope: ScopeNational, Severity: SeverityMedium,
			Description: "人员参保信息：同一公民身份号码在两个养老险种（或两个个人编号下）同时处于参保缴费状态且期间重叠。Overlapping active pension enrolments.",
			LegalBasis:  "《社会保险法》第十条、第二十条；人社部发〔2014〕17号 城乡养老保险制度衔接暂行办法",
			SQL: `SELECT 'R8' AS rule_code, x.aac002 AS subject, MIN(x.aac003) AS subject_name, MIN(x.aab301) AS region,
	MIN(x.ins_a) AS insurance, MIN(x.overlap_ym) AS period, 0 AS amount,
	CONCAT('同时参保 ', MIN(x.ins_a), ' 与 ', MIN(x.ins_b), '，重叠自 ', MIN(x.overlap_ym)) AS evidence
FROM (
	SELECT a1.aac002, a1.aac003, a1.aab301, e1.aae140 AS ins_a, e2.aae140 AS ins_b,
		CASE WHEN e1.aae030 > e2.aae030 THEN e1.aae030 ELSE e2.aae030 END AS overlap_ym
	FROM ac02 e1
	JOIN ac01 a1 ON a1.aac001 = e1.aac001
	JOIN ac01 a2 ON a2.aac002 = a1.aac002
	JOIN ac02 e2 ON e2.aac001 = a2.aac001
	WHERE e1.aae140 IN ('110', '120', '170') AND e2.aae140 IN ('110', '120', '170')
	  AND e1.aac031 = '1' AND e2.aac031 = '1'
	  AND (e1.aae140 < e2.aae140 OR (e1.aae140 = e2.aae140 AND e1.aac001 < e2.aac001))
	  AND e1.aae030_mi <= COALESCE(e2.aae031_mi, 999999) AND e2.aae030_mi <= COALESCE(e1.aae031_mi, 999999)
) x
GROUP BY x.aac002`},
		{Code: "R21", Name: "死亡人员个人账户未清算", Insurance: "110", Scope: ScopeSingle, Severity: SeverityMedium,
			Description: "个人账户 × 死亡信息：死亡超过规定月数（按当前日期计），个人账户仍有余额未清算。",
			LegalBasis:  "《社会保险法》第十四条；国发〔2005〕38号",
			Params: []Param{{Name: "grace_months", Type: TypeInteger, Default: "12",
				Description: "死亡后应完成清算的月数 months allowed to settle"}},
			SQL: `SELECT 'R21' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region,
	MIN(t.aae140) AS insurance, MIN(d.death_ym) AS period, SUM(t.balance) AS amount,
	CONCAT('死亡日期 ', MIN(d.death_date), '；账户余额未清算') AS evidence
FROM ac_account t
JOIN ac01 a ON a.aac001 = t.aac001
JOIN ` + firstDeath + ` d ON d.aac002 = a.aac002
WHERE t.settled = '0' AND t.balance > 0
  AND (EXTRACT(YEAR FROM CURRENT_DATE) * 12 + EXTRACT(MONTH FROM CURRENT_DATE) - 1) - d.death_mi > ${grace_months}
GROUP BY a.aac002`},
	}
}
