package gendata

// Common surnames (百家姓, by frequency) and given-name characters.
const (
	surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
	givens   = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰玉霞文辉林红建国志海波鹏宇浩俊婷雪琳晨欣怡佳子梓涵轩博丹凤飞斌成荣新春云"
	brands   = "恒信华盛鑫源宏达金城天成盛世兴业永安顺达黔龙山水"
	trades   = "建筑商贸物流科技食品机械化工医药电子矿业能源旅游农业服装酒业"
)

// sqlList renders characters (or fixed-width groups of them) as a DuckDB
// list literal of strings. The input is the constants above: no quotes.
func sqlList(s string, width int) string {
	r := []rune(s)
	out := "["
	for i := 0; i+width <= len(r); i += width {
		if i > 0 {
			out += ","
		}
		out += "'" + string(r[i:i+width]) + "'"
	}
	return out + "]"
}

// agencies name the 机关事业 units.
const agencies = "教育局卫健局财政局民政局商务局林业局水务局统计局审计局档案馆"
