package indexer

import (
	"strings"
	"testing"
)

func TestStripOfficeJunk(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{
			name: "settings and style sheet leaked into a one-line page",
			in:   `微信 微博 Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE /* Style Definitions */ table.MsoNormalTable {mso-style-name:普通表格; mso-tstyle-rowband-size:0; font-family:"Calibri","sans-serif";} 根据巡察工作统一部署，现将整改情况公布如下。`,
			want: `微信 微博 根据巡察工作统一部署，现将整改情况公布如下。`,
		},
		{
			name: "compatibility names and an escaped conditional comment",
			in:   "Normal 0 10 磅 0 2 false false false EN-US ZH-CN X-NONE MicrosoftInternetExplorer4\n<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->\nst1\\:*{behavior:url(#ieooui) }\n各街道办事处：",
			want: "各街道办事处：",
		},
		{
			name: "prose that mentions Normal or braces stays",
			in:   "系统处于Normal 0状态，参数为{a:1}。EN-US版本同步发布。",
			want: "系统处于Normal 0状态，参数为{a:1}。EN-US版本同步发布。",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(normalizeLines(stripOfficeJunk(tc.in)), "\n")
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestTrimInlineFooter(t *testing.T) {
	for _, tc := range []struct{ name, in, want, source string }{
		{
			name:   "a footer glued to a one-line page is cut at its first chrome",
			in:     "请认真贯彻执行。 某某局 2016年9月16日印发 来源：某某局办公室 附件下载 扫一扫在手机上查看当前页面 关闭 相关链接 友情链接 使用帮助 | 联系我们 | 网站标识码：3500000000 闽ICP备00000000号 版权所有：某某网站 主办单位：某某办公室 为确保最佳浏览效果，建议您使用以下浏览器版本：IE浏览器9.0版本及以上。",
			want:   "请认真贯彻执行。 某某局 2016年9月16日印发",
			source: "某某局办公室",
		},
		{
			name: "without a record number or copyright nothing is cut",
			in:   "请认真贯彻执行。 来源：某某局 附件下载",
			want: "请认真贯彻执行。 来源：某某局 附件下载",
		},
		{
			name: "a footer alone is not a page's text",
			in:   "网站标识码：3500000000 闽ICP备00000000号",
			want: "网站标识码：3500000000 闽ICP备00000000号",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found := map[string]string{}
			if got := trimInlineFooter(tc.in, found); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if found["source"] != tc.source {
				t.Errorf("source %q, want %q", found["source"], tc.source)
			}
		})
	}
}
