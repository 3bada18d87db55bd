package gendata

// Person categories. Each person belongs to one; the category decides the
// tables the person appears in and which anomalies can be planted on them.
//
//	Ws   enterprise worker at one unit (企业职工), maybe hired inside the window
//	Wc   enterprise worker who changes employer inside the window
//	G    state-funded staff (机关事业单位) with payroll
//	RC   resident contributor (城乡居民养老 170), one payment a year
//	RPn  enterprise retiree (110) retired at the legal age
//	RPe  enterprise retiree retired early (特殊工种 / 病退)
//	GP   机关事业 retiree (120)
//	RRPo resident pensioner (170) who turned 60 before the window
//	RRPn resident pensioner who turns 60 inside the window
//	U    unemployment-benefit recipient (失业金, 210)
//	I    work-injury disability allowance recipient (伤残津贴, 410)
//	D    worker who died of a work injury before the window, with dependants (供养亲属)
//
// categoryShares are cumulative upper bounds of a uniform draw.
var categoryShares = []struct {
	cat string
	cum float64
}{
	{"Ws", 0.42}, {"Wc", 0.50}, {"G", 0.56}, {"RC", 0.68}, {"RPn", 0.80}, {"RPe", 0.83},
	{"GP", 0.85}, {"RRPo", 0.90}, {"RRPn", 0.92}, {"U", 0.96}, {"I", 0.98}, {"D", 1.00},
}

// slots lists the anomalies planted in each category, in order. A code is
// the rule plus a variant letter when a rule has several ways to be broken;
// each slot gets AnomalyRate of the category (at least one subject).
// R12e plants a Ws person as the employed dependant of a D worker; R19 and
// R24 are planted on units and R27 on outsiders (see units.go, outside.go).
var slots = []struct {
	cat   string
	codes []string
}{
	{"Ws", []string{"R8", "R12e", "R14", "R16", "R17", "R18", "R20L", "R20H", "R22", "R23b"}},
	{"G", []string{"R25"}},
	{"RPn", []string{"R1", "R2", "R3", "R4", "R5a", "R5b", "R7", "R21", "R23a"}},
	{"RPe", []string{"R15t", "R15a"}},
	{"RRPn", []string{"R6"}},
	{"U", []string{"R9", "R10p", "R10j", "R10e", "R10m", "R11"}},
	{"I", []string{"R13"}},
	{"D", []string{"R12a", "R12r", "R12d", "R12o"}},
}
