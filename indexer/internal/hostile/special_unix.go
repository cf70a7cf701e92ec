//go:build unix

package hostile

import (
	"os"
	"syscall"
)

// special lists the cases that need a Unix system: links and a FIFO.
func special(notice string) []Case {
	link := func(target string) func(string) error {
		return func(path string) error { return os.Symlink(target, path) }
	}
	return []Case{
		{Name: "a link to a notice", File: "links/link-to-target.txt",
			Want:  Want{Title: "关于开展安全生产大检查的通知"},
			write: link("target.txt")},
		{Name: "a link to the folder it is in", File: "links/loop",
			Want:  Want{Skipped: ReasonLinkLoop},
			write: link(".")},
		{Name: "a link to a file that is not there", File: "links/broken.txt",
			Want:  Want{Skipped: ReasonBrokenLink},
			write: link("missing.txt")},
		{Name: "a FIFO with a notice's name", File: "pipe.txt",
			Want:  Want{Skipped: ReasonNotRegular},
			write: func(path string) error { return syscall.Mkfifo(path, 0o644) }},
	}
}
