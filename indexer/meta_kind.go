package indexer

import "strings"

// kinds are the document kinds a title ends with. Compound kinds need no
// entry of their own: 实施方案 ends with 方案, 工作要点 with 要点.
var kinds = []string{
	"通报", "通知", "通告", "公告", "公报", "意见", "报告", "方案", "决定", "决议", "办法", "条例", "规定", "细则",
	"规则", "规划", "计划", "要点", "总结", "批复", "请示", "纪要", "指引", "指南", "守则", "章程", "标准", "命令", "规范", "预算", "决算", "函",
}

// kindFromTitle names the kind of a notice from the end of its title:
// 关于…整改进展情况的通报 → 通报, …暂行办法（试行） → 办法.
func kindFromTitle(title string) string {
	t := strings.TrimSpace(title)
	for _, tail := range []string{"（试行）", "(试行)", "（征求意见稿）", "(征求意见稿)", "（草案）", "(草案)", "（修订）", "（修正）"} {
		t = strings.TrimSuffix(t, tail)
	}
	for _, k := range kinds {
		if strings.HasSuffix(t, k) {
			return k
		}
	}
	return ""
}
