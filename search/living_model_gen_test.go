package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The notices of the living model test (living_model_test.go): short,
// fictional notices in the shape of government ones — a title line, a date
// line, a preamble, numbered headings 一、 and （一） with paragraphs, a
// closing — drawn from a small vocabulary of government terms and fillers,
// so that terms recur across files in every proportion, and each version
// of a file carrying a marker of its own, so that a text replaced or
// deleted can be looked for afterwards.

var (
	lmIssuers = []string{
		"青禾县人民政府办公室", "云岭区应急管理局", "白石镇人民政府", "临川市生态环境局",
		"东湖区教育局", "南塘县卫生健康委员会", "北岗市市场监督管理局", "西溪街道办事处",
	}
	lmKinds   = []string{"通知", "通报", "公告", "实施意见", "决定", "整改情况报告"}
	lmActions = []string{"开展", "做好", "加强", "推进", "深化", "进一步规范"}
	lmTopics  = []string{
		"安全生产", "防汛抗旱", "疫情防控", "乡村振兴", "营商环境", "生态环境保护", "巡察整改",
		"食品安全", "垃圾分类", "城市更新", "数字政府建设", "基层治理", "河长制", "农村人居环境整治",
		"义务教育", "医疗保障", "养老服务", "就业创业", "消防安全", "森林防火", "文明城市创建",
		"作风建设", "政务公开",
	}
	lmHeadings = []string{
		"总体要求", "工作目标", "主要任务", "重点内容", "实施步骤", "保障措施", "工作要求",
		"职责分工", "组织领导", "督查考核", "存在问题", "整改措施", "宣传引导", "经费保障",
	}
	lmFillers = []string{
		"进一步", "切实", "认真", "全面", "扎实", "统筹", "各级", "有关部门", "相关单位", "各乡镇",
		"街道", "确保", "落实", "责任", "制度", "机制", "建立健全", "深入", "持续", "工作", "要求",
		"取得", "成效", "明显", "群众", "满意度", "隐患", "排查", "整治", "监督", "检查", "考核",
		"台账", "闭环", "长效", "常态化", "协调", "配合", "宣传", "资金", "人员", "到位", "按时",
		"完成", "报送", "情况", "的", "和", "在", "对", "年度", "季度", "第三方", "评估", "专项",
	}
	lmCN = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	// lmMarkerRunes spell the markers: characters the vocabulary above
	// never uses, so that a marker is found where its version is.
	lmMarkerRunes = []rune("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉")
)

// lmGen writes notices from a seeded source.
type lmGen struct {
	r       *rand.Rand
	markers map[string]bool // every marker handed out
}

func lmPick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// marker is a word of five marker runes not handed out before.
func (g *lmGen) marker() string {
	for {
		var b strings.Builder
		for range 5 {
			b.WriteRune(lmPick(g.r, lmMarkerRunes))
		}
		if m := b.String(); !g.markers[m] {
			g.markers[m] = true
			return m
		}
	}
}

// sentence is a clause or two of vocabulary, ending in 。.
func (g *lmGen) sentence() string {
	var b strings.Builder
	n := 4 + g.r.IntN(10)
	for i := range n {
		if g.r.IntN(5) == 0 {
			b.WriteString(lmPick(g.r, lmTopics))
		} else {
			b.WriteString(lmPick(g.r, lmFillers))
		}
		if i < n-1 && g.r.IntN(5) == 0 {
			b.WriteString(lmPick(g.r, []string{"，", "、", "；"}))
		}
	}
	b.WriteString("。")
	return b.String()
}

func (g *lmGen) paragraph() string {
	var b strings.Builder
	for range 1 + g.r.IntN(3) {
		b.WriteString(g.sentence())
	}
	return b.String()
}

// notice writes a notice's text, as Markdown when md, holding marker in
// one of its paragraphs.
func (g *lmGen) notice(marker string, md bool) string {
	issuer, topic, kind := lmPick(g.r, lmIssuers), lmPick(g.r, lmTopics), lmPick(g.r, lmKinds)
	title := issuer + "关于" + lmPick(g.r, lmActions) + topic + "工作的" + kind
	date := fmt.Sprintf("%d年%d月%d日", 2015+g.r.IntN(10), 1+g.r.IntN(12), 1+g.r.IntN(28))
	var paras []string
	paras = append(paras, "各有关单位："+g.paragraph())
	for i := range 1 + g.r.IntN(4) {
		paras = append(paras, lmCN[i]+"、"+lmPick(g.r, lmHeadings))
		if g.r.IntN(3) > 0 {
			paras = append(paras, g.paragraph())
		}
		if g.r.IntN(2) == 0 {
			for j := range 1 + g.r.IntN(3) {
				head := "（" + lmCN[j] + "）" + lmPick(g.r, lmHeadings)
				if g.r.IntN(2) == 0 { // a heading running into its text
					paras = append(paras, head+"。"+g.paragraph())
				} else {
					paras = append(paras, head, g.paragraph())
				}
			}
		}
	}
	paras = append(paras, "特此"+kind[len(kind)-len("通知"):]+"。", issuer, date)
	// The marker goes into a paragraph of text, never a heading or the
	// closing lines.
	var body []int
	for i, p := range paras[:len(paras)-3] {
		if strings.HasSuffix(p, "。") {
			body = append(body, i)
		}
	}
	at := lmPick(g.r, body)
	paras[at] = strings.TrimSuffix(paras[at], "。") + "，登记" + marker + "号。"
	if md {
		return "# " + title + "\n\n" + date + "\n\n" + strings.Join(paras, "\n\n") + "\n"
	}
	return title + "\n" + date + "\n" + strings.Join(paras, "\n") + "\n"
}
