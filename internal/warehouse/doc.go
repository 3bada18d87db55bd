// Package warehouse is the supervision warehouse (基金监管数据仓库): the
// business tables the rule library screens, named after the national field
// codes (AC01 人员基本信息, AB01 单位基本信息, AC02 人员参保信息, AC43 缴费明细,
// …) plus benefit payments and the outside data the rules join (公安/民政/卫健
// death records, 司法 prison terms, 户籍, market registration, …).
//
// One Engine wraps a *sql.DB of one dialect: DuckDB (the embedded default, a
// file in the data dir), PostgreSQL (also Greenplum, GaussDB DWS, Kingbase)
// or the MySQL protocol (MariaDB in tests; Doris, StarRocks, OceanBase in
// production). The schema is the same on all three. Periods are integer
// YYYYMM, dates are DATE, and wherever the dialects disagree on date
// arithmetic the loader adds integer helper columns (a month index
// year*12+month-1 named <field>_mi, a YYYYMM named <field>_ym, a birth date
// as YYYYMMDD text) so that rule SQL stays one portable text.
package warehouse
