package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// What /proc says about a process. Every reader returns a zero value, never
// an error, when the process is gone or its files cannot be read: the
// report then shows "?" rather than the run stopping.

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat; it
// is 100 on every Linux architecture Go supports.
const clockTicks = 100

// memory returns VmRSS and VmHWM (the peak RSS) in bytes.
func memory(pid int) (rss, hwm int64) {
	if pid <= 0 {
		return 0, 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(value)
		if len(f) == 0 {
			continue
		}
		kb, _ := strconv.ParseInt(f[0], 10, 64)
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			hwm = kb << 10
		}
	}
	return rss, hwm
}

// cpuTime returns the process's user plus system CPU time.
func cpuTime(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, field 2, may hold spaces and parentheses: the
	// fields that follow start after its last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state), so utime (14) and stime (15) are f[11], f[12].
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * time.Second / clockTicks
}

// openFiles counts the process's open file descriptors (-1 if unknown).
func openFiles(pid int) int {
	p := "/proc/self/fd"
	if pid > 0 {
		p = "/proc/" + strconv.Itoa(pid) + "/fd"
	}
	d, err := os.Open(p)
	if err != nil {
		return -1
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return -1
	}
	return len(names)
}

// fileLimit returns the soft RLIMIT_NOFILE of a process (0 if unknown);
// pid 0 is this process.
func fileLimit(pid int) int {
	if pid == 0 {
		var rl syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return 0
		}
		return int(min(rl.Cur, 1<<30))
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/limits")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Max open files"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				if f[0] == "unlimited" {
					return 1 << 30
				}
				n, _ := strconv.Atoi(f[0])
				return n
			}
		}
	}
	return 0
}

// localPorts returns how many ephemeral ports the kernel hands out.
func localPorts() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 0
	}
	lo, _ := strconv.Atoi(f[0])
	hi, _ := strconv.Atoi(f[1])
	return hi - lo + 1
}

func alive(pid int) bool {
	return pid > 0 && syscall.Kill(pid, 0) == nil
}
