package warehouse

// Table describes one warehouse table. The list below is the whole schema;
// CreateSchema renders it for each dialect.
type Table struct {
	Name    string // lower case: PostgreSQL folds unquoted names, MariaDB on Linux does not
	Comment string
	Columns []Column
	Key     []string   // primary key (PostgreSQL and MySQL; DuckDB loads faster without)
	Indexes [][]string // secondary indexes (PostgreSQL and MySQL; DuckDB scans)
}

// Column is one column; Type is written the same on every dialect.
type Column struct {
	Name    string
	Type    string
	Null    bool // may be NULL
	Comment string
}

// Column types used by the schema: the subset all three dialects spell alike.
const (
	tBigint = "BIGINT"
	tInt    = "INTEGER"
	tMoney  = "DECIMAL(12,2)"
	tDate   = "DATE"
	tFlag   = "VARCHAR(1)"
	tCode   = "VARCHAR(3)"
	tID     = "VARCHAR(18)" // 公民身份号码 or 统一社会信用代码
	tRegion = "VARCHAR(6)"
	tName   = "VARCHAR(100)"
	tYMD    = "VARCHAR(8)"
	tCard   = "VARCHAR(20)"
	tSource = "VARCHAR(10)"
)

// Tables lists the warehouse schema: business tables first, then the
// outside data (外部数据) the rules join.
func Tables() []Table {
	return []Table{
		{Name: "ac01", Comment: "人员基本信息 persons", Key: []string{"aac001"}, Indexes: [][]string{{"aac002"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aac002", Type: tID, Comment: "公民身份号码"},
				{Name: "aac003", Type: tName, Comment: "姓名"},
				{Name: "aac004", Type: tFlag, Comment: "性别 1 男 2 女"},
				{Name: "aac006", Type: tDate, Comment: "出生日期"},
				{Name: "aac006_ymd", Type: tYMD, Comment: "出生日期 as YYYYMMDD text (helper)"},
				{Name: "aac006_mi", Type: tInt, Comment: "出生月 month index (helper)"},
				{Name: "aac007", Type: tDate, Null: true, Comment: "参加工作日期"},
				{Name: "aac007_mi", Type: tInt, Null: true, Comment: "参加工作月 month index (helper)"},
				{Name: "aac007_ym", Type: tInt, Null: true, Comment: "参加工作月 YYYYMM (helper)"},
				{Name: "aac008", Type: tFlag, Comment: "参保状态 1 参保缴费 2 暂停 3 终止"},
				{Name: "aac084", Type: tFlag, Comment: "离退休标志 0/1"},
				{Name: "aic162", Type: tDate, Null: true, Comment: "离退休日期"},
				{Name: "aic162_mi", Type: tInt, Null: true, Comment: "离退休月 month index (helper)"},
				{Name: "aab301", Type: tRegion, Comment: "参保地行政区划 (county)"},
			}},
		{Name: "ab01", Comment: "单位基本信息 units", Key: []string{"aab001"}, Indexes: [][]string{{"aab003"}},
			Columns: []Column{
				{Name: "aab001", Type: tBigint, Comment: "单位编号"},
				{Name: "aab003", Type: tID, Comment: "统一社会信用代码"},
				{Name: "aab004", Type: tName, Comment: "单位名称"},
				{Name: "aab019", Type: "VARCHAR(2)", Comment: "单位类型 10 企业 30 机关 31 事业单位"},
				{Name: "aab301", Type: tRegion, Comment: "行政区划"},
			}},
		{Name: "ac02", Comment: "人员参保信息 enrolment per 险种", Indexes: [][]string{{"aac001", "aae140"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aae140", Type: tCode, Comment: "险种类型"},
				{Name: "aab001", Type: tBigint, Comment: "单位编号, 0 for individuals"},
				{Name: "aae030", Type: tInt, Comment: "开始 YYYYMM"},
				{Name: "aae030_mi", Type: tInt, Comment: "开始 month index (helper)"},
				{Name: "aae031", Type: tInt, Null: true, Comment: "终止 YYYYMM, NULL while open"},
				{Name: "aae031_mi", Type: tInt, Null: true, Comment: "终止 month index (helper)"},
				{Name: "aac031", Type: tFlag, Comment: "个人缴费状态 1 参保缴费 2 暂停 3 终止"},
			}},
		{Name: "ac02_log", Comment: "参保变更记录 enrolment changes (事中)", Key: []string{"seq"}, Indexes: [][]string{{"aac001", "aae140"}},
			Columns: []Column{
				{Name: "seq", Type: tBigint, Comment: "change number, increasing in time of recording"},
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aae140", Type: tCode, Comment: "险种类型"},
				{Name: "aab001", Type: tBigint, Comment: "单位编号"},
				{Name: "aae160", Type: tFlag, Comment: "变更类型 1 新参保 2 暂停 3 恢复 4 终止"},
				{Name: "aae035", Type: tDate, Comment: "变更日期"},
				{Name: "aae035_ym", Type: tInt, Comment: "变更日期 YYYYMM (helper)"},
			}},
		{Name: "ac43", Comment: "缴费明细 contributions", Indexes: [][]string{{"aac001", "aae003"}, {"aab001", "aae003"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aab001", Type: tBigint, Comment: "单位编号, 0 when the person pays alone"},
				{Name: "aae140", Type: tCode, Comment: "险种类型"},
				{Name: "aae003", Type: tInt, Comment: "缴费所属期 YYYYMM"},
				{Name: "aic020", Type: tMoney, Comment: "缴费基数"},
				{Name: "aae020", Type: tMoney, Comment: "单位缴费金额 (unconfirmed code)"},
				{Name: "aae022", Type: tMoney, Comment: "个人缴费金额"},
				{Name: "aae078", Type: tFlag, Comment: "到账标志 1 到账 0 未到账"},
				{Name: "payer", Type: tFlag, Comment: "缴费主体 1 单位 2 个人 (灵活就业/城乡居民)"},
			}},
		{Name: "pension_pay", Comment: "养老待遇发放 pension payments (110/120/170)", Indexes: [][]string{{"aac001", "aae003"}, {"aaz500"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aae140", Type: tCode, Comment: "险种类型"},
				{Name: "aae003", Type: tInt, Comment: "待遇所属期 YYYYMM"},
				{Name: "aae003_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "aae019", Type: tMoney, Comment: "发放金额"},
				{Name: "aaz500", Type: tCard, Comment: "社保卡号 paid into"},
				{Name: "aab301", Type: tRegion, Comment: "发放统筹区"},
			}},
		{Name: "pension_stop", Comment: "养老待遇暂停/终止 stops", Indexes: [][]string{{"aac001"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aae140", Type: tCode, Comment: "险种类型"},
				{Name: "aae160", Type: tFlag, Comment: "2 暂停 3 终止"},
				{Name: "aae003", Type: tInt, Comment: "停发所属期 YYYYMM"},
				{Name: "aae003_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "reason", Type: tName, Comment: "原因"},
			}},
		{Name: "card_holder", Comment: "社保卡持卡人 card holders", Key: []string{"aaz500"}, Indexes: [][]string{{"aac002"}},
			Columns: []Column{
				{Name: "aaz500", Type: tCard, Comment: "社保卡号"},
				{Name: "aac002", Type: tID, Comment: "持卡人公民身份号码"},
				{Name: "aac003", Type: tName, Comment: "持卡人姓名"},
			}},
		{Name: "unemp_pay", Comment: "失业保险金发放 unemployment benefit (210)", Key: []string{"pay_id"}, Indexes: [][]string{{"aac001", "aae003"}},
			Columns: []Column{
				{Name: "pay_id", Type: tBigint, Comment: "发放流水号"},
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aae003", Type: tInt, Comment: "待遇所属期 YYYYMM"},
				{Name: "aae003_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "aae019", Type: tMoney, Comment: "发放金额"},
			}},
		{Name: "injury_case", Comment: "工伤认定 work-injury cases (410)", Indexes: [][]string{{"aac001"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aab001", Type: tBigint, Comment: "单位编号"},
				{Name: "accident_date", Type: tDate, Comment: "事故日期"},
				{Name: "accident_ym", Type: tInt, Comment: "YYYYMM (helper)"},
				{Name: "accident_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "aae019", Type: tMoney, Comment: "工伤保险基金支付金额"},
			}},
		{Name: "injury_pay", Comment: "伤残津贴发放 disability allowance", Indexes: [][]string{{"aac001", "aae001"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aae003", Type: tInt, Comment: "待遇所属期 YYYYMM"},
				{Name: "aae001", Type: tInt, Comment: "年度 (helper)"},
				{Name: "aae019", Type: tMoney, Comment: "发放金额"},
			}},
		{Name: "injury_dep", Comment: "工伤供养亲属 dependants of workers who died of a work injury", Key: []string{"aac002"},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "供养亲属公民身份号码"},
				{Name: "aac003", Type: tName, Comment: "姓名"},
				{Name: "aac006", Type: tDate, Comment: "出生日期"},
				{Name: "aac006_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "aac001", Type: tBigint, Comment: "因工死亡职工个人编号"},
				{Name: "relation", Type: tFlag, Comment: "与职工关系 1 配偶 2 子女 3 父母"},
				{Name: "disabled", Type: tFlag, Comment: "完全丧失劳动能力 1 是 0 否"},
			}},
		{Name: "injury_dep_pay", Comment: "供养亲属抚恤金发放", Indexes: [][]string{{"aac002", "aae003"}},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "供养亲属公民身份号码"},
				{Name: "aae003", Type: tInt, Comment: "待遇所属期 YYYYMM"},
				{Name: "aae003_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "aae019", Type: tMoney, Comment: "发放金额"},
			}},
		{Name: "survival_cert", Comment: "待遇领取资格认证 survival certification", Indexes: [][]string{{"aac001", "aae001"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "cert_date", Type: tDate, Comment: "认证日期"},
				{Name: "aae001", Type: tInt, Comment: "认证年度 (helper)"},
			}},
		{Name: "retire_app", Comment: "退休审批 retirement approvals", Indexes: [][]string{{"aac001"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aab001", Type: tBigint, Comment: "申报单位"},
				{Name: "aic162", Type: tDate, Comment: "离退休日期"},
				{Name: "aic162_ym", Type: tInt, Comment: "YYYYMM (helper)"},
				{Name: "aic162_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "kind", Type: tFlag, Comment: "退休类别 1 正常 2 特殊工种提前 3 因病提前"},
			}},
		{Name: "ac_account", Comment: "个人账户 personal pension accounts", Indexes: [][]string{{"aac001"}},
			Columns: []Column{
				{Name: "aac001", Type: tBigint, Comment: "个人编号"},
				{Name: "aae140", Type: tCode, Comment: "险种类型"},
				{Name: "balance", Type: "DECIMAL(14,2)", Comment: "账户余额"},
				{Name: "settled", Type: tFlag, Comment: "已清算 1 是 0 否"},
				{Name: "settle_date", Type: tDate, Null: true, Comment: "清算日期"},
			}},
		{Name: "avg_wage", Comment: "社平工资 average wage per period (the base band)", Key: []string{"aae003"},
			Columns: []Column{
				{Name: "aae003", Type: tInt, Comment: "所属期 YYYYMM"},
				{Name: "amount", Type: tMoney, Comment: "月平均工资"},
			}},
		{Name: "death", Comment: "死亡信息 death records (公安/民政/卫健)", Indexes: [][]string{{"aac002"}},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "公民身份号码"},
				{Name: "aac003", Type: tName, Comment: "姓名"},
				{Name: "death_date", Type: tDate, Comment: "死亡日期"},
				{Name: "death_ym", Type: tInt, Comment: "YYYYMM (helper)"},
				{Name: "death_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "source", Type: tSource, Comment: "来源 公安 民政 卫健"},
			}},
		{Name: "prison", Comment: "服刑人员 custody records (司法)", Indexes: [][]string{{"aac002"}},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "公民身份号码"},
				{Name: "begin_date", Type: tDate, Comment: "羁押/服刑开始"},
				{Name: "begin_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "end_date", Type: tDate, Null: true, Comment: "刑满释放, NULL while serving"},
				{Name: "end_mi", Type: tInt, Null: true, Comment: "month index (helper)"},
				{Name: "kind", Type: tFlag, Comment: "刑罚 1 拘役 2 有期徒刑 3 无期徒刑 4 管制 5 缓刑"},
			}},
		{Name: "household", Comment: "户籍 household registration (公安)", Key: []string{"aac002"},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "公民身份号码"},
				{Name: "status", Type: tFlag, Comment: "户籍状态 1 正常 2 死亡注销 3 出国(境)定居注销 4 服兵役注销"},
				{Name: "change_date", Type: tDate, Null: true, Comment: "注销日期"},
				{Name: "change_mi", Type: tInt, Null: true, Comment: "month index (helper)"},
			}},
		{Name: "civil_reg", Comment: "民政登记 marriage and adoption registrations", Indexes: [][]string{{"aac002"}},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "公民身份号码"},
				{Name: "kind", Type: tFlag, Comment: "1 结婚 2 收养"},
				{Name: "reg_date", Type: tDate, Comment: "登记日期"},
				{Name: "reg_mi", Type: tInt, Comment: "month index (helper)"},
			}},
		{Name: "ent_reg", Comment: "市场主体登记 market registration (市场监管)", Key: []string{"aab003"},
			Columns: []Column{
				{Name: "aab003", Type: tID, Comment: "统一社会信用代码"},
				{Name: "aab004", Type: tName, Comment: "名称"},
				{Name: "reg_date", Type: tDate, Comment: "成立日期"},
				{Name: "reg_ym", Type: tInt, Comment: "YYYYMM (helper)"},
				{Name: "status", Type: tFlag, Comment: "1 存续 2 注销"},
				{Name: "staff", Type: tInt, Comment: "从业人数"},
				{Name: "aab301", Type: tRegion, Comment: "行政区划"},
			}},
		{Name: "fin_payroll", Comment: "财政供养人员工资 payroll of state-funded staff (财政)", Indexes: [][]string{{"aac002"}},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "公民身份号码"},
				{Name: "aac003", Type: tName, Comment: "姓名"},
				{Name: "aab001", Type: tBigint, Comment: "单位编号"},
				{Name: "aae003", Type: tInt, Comment: "工资所属期 YYYYMM"},
				{Name: "aae003_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "amount", Type: tMoney, Comment: "应发工资"},
			}},
		{Name: "special_group", Comment: "特殊群体 低保/特困/被征地农民 (民政, 自然资源)", Indexes: [][]string{{"aac002"}},
			Columns: []Column{
				{Name: "aac002", Type: tID, Comment: "公民身份号码"},
				{Name: "aac003", Type: tName, Comment: "姓名"},
				{Name: "aac006_mi", Type: tInt, Comment: "出生月 month index (helper)"},
				{Name: "kind", Type: tFlag, Comment: "1 低保 2 特困 3 被征地农民"},
				{Name: "begin_date", Type: tDate, Comment: "认定日期"},
				{Name: "begin_ym", Type: tInt, Comment: "YYYYMM (helper)"},
				{Name: "begin_mi", Type: tInt, Comment: "month index (helper)"},
				{Name: "aab301", Type: tRegion, Comment: "行政区划"},
			}},
	}
}

// TableByName finds a table of the schema.
func TableByName(name string) (Table, bool) {
	for _, t := range Tables() {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// ColumnNames lists a table's columns in order.
func (t Table) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}
