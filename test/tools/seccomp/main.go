// seccomp-exec runs a command under the seccomp filter a container with
// `seccompProfile: {type: RuntimeDefault}` gets from containerd: containerd's
// own default profile, computed for the container's capabilities, loaded the
// way runc loads a profile. It is the kubelet stand-in's runtime, so a test
// that runs kube-vip under it shows what the default profile lets kube-vip do.
//
//	seccomp-exec [--caps NET_ADMIN,NET_RAW] -- COMMAND [ARGS...]
//
// Runc also patches the filter so that syscalls newer than any the profile
// names fail with ENOSYS rather than EPERM; libseccomp cannot express that,
// so here they fail with EPERM. A program that falls back on ENOSYS only would
// fail here where it runs under runc: a false alarm, never a false pass.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"

	cseccomp "github.com/containerd/containerd/v2/contrib/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	libseccomp "github.com/seccomp/libseccomp-golang"
)

func main() {
	caps, command, err := parseArgs(os.Args[1:])
	if err != nil {
		fail(2, err)
	}
	spec := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: caps}}}
	if err := load(cseccomp.DefaultProfile(spec)); err != nil {
		fail(1, fmt.Errorf("loading the default profile: %w", err))
	}
	path, err := exec.LookPath(command[0])
	if err != nil {
		fail(127, err)
	}
	fail(126, syscall.Exec(path, command, os.Environ()))
}

func parseArgs(args []string) (caps []string, command []string, err error) {
	for len(args) > 0 && args[0] != "--" {
		if args[0] != "--caps" || len(args) < 2 {
			return nil, nil, fmt.Errorf("usage: seccomp-exec [--caps NET_ADMIN,NET_RAW] -- COMMAND [ARGS...]")
		}
		for _, c := range strings.Split(args[1], ",") {
			if c != "" {
				caps = append(caps, "CAP_"+strings.TrimPrefix(strings.ToUpper(c), "CAP_"))
			}
		}
		args = args[2:]
	}
	if len(args) < 2 {
		return nil, nil, errors.New("no command after --")
	}
	return caps, args[1:], nil
}

func fail(code int, err error) {
	fmt.Fprintf(os.Stderr, "seccomp-exec: %v\n", err)
	os.Exit(code)
}

// load installs the profile as runc's InitSeccomp does (libcontainer/seccomp):
// the default action, every architecture libseccomp knows, the no_new_privs bit
// left to the caller, unknown syscall names skipped, rules equal to the default
// action dropped, and conditions on one argument given as separate rules.
func load(profile *specs.LinuxSeccomp) error {
	defaultAction, err := action(profile.DefaultAction, profile.DefaultErrnoRet)
	if err != nil {
		return err
	}
	filter, err := libseccomp.NewFilter(defaultAction)
	if err != nil {
		return err
	}
	defer filter.Release()
	for _, arch := range profile.Architectures {
		scmpArch, err := libseccomp.GetArchFromString(archName(arch))
		if err != nil {
			continue // an architecture this libseccomp does not know
		}
		if err := filter.AddArch(scmpArch); err != nil {
			return fmt.Errorf("architecture %s: %w", arch, err)
		}
	}
	if err := filter.SetNoNewPrivsBit(false); err != nil {
		return err
	}
	for _, rule := range profile.Syscalls {
		if err := addRule(filter, rule, defaultAction); err != nil {
			return err
		}
	}
	return filter.Load()
}

func addRule(filter *libseccomp.ScmpFilter, rule specs.LinuxSyscall, defaultAction libseccomp.ScmpAction) error {
	act, err := action(rule.Action, rule.ErrnoRet)
	if err != nil {
		return err
	}
	if act == defaultAction {
		return nil
	}
	conditions := make([]libseccomp.ScmpCondition, 0, len(rule.Args))
	perArg := map[uint]int{}
	for _, arg := range rule.Args {
		op, err := operator(arg.Op)
		if err != nil {
			return err
		}
		condition, err := libseccomp.MakeCondition(arg.Index, op, arg.Value, arg.ValueTwo)
		if err != nil {
			return err
		}
		conditions = append(conditions, condition)
		perArg[arg.Index]++
	}
	oneArgTwice := false
	for _, n := range perArg {
		oneArgTwice = oneArgTwice || n > 1
	}
	for _, name := range rule.Names {
		call, err := libseccomp.GetSyscallFromName(name)
		if err != nil {
			continue // a syscall this libseccomp does not know, as runc skips it
		}
		switch {
		case len(conditions) == 0:
			err = filter.AddRule(call, act)
		case oneArgTwice:
			for _, c := range conditions {
				if err = filter.AddRuleConditional(call, act, []libseccomp.ScmpCondition{c}); err != nil {
					break
				}
			}
		default:
			err = filter.AddRuleConditional(call, act, conditions)
		}
		if err != nil {
			return fmt.Errorf("syscall %s: %w", name, err)
		}
	}
	return nil
}

func archName(arch specs.Arch) string {
	name := strings.ToLower(strings.TrimPrefix(string(arch), "SCMP_ARCH_"))
	switch name {
	case "x86_64":
		return "amd64"
	case "aarch64":
		return "arm64"
	}
	return name
}

func action(a specs.LinuxSeccompAction, errnoRet *uint) (libseccomp.ScmpAction, error) {
	switch a {
	case specs.ActAllow:
		return libseccomp.ActAllow, nil
	case specs.ActErrno:
		errno := uint(syscall.EPERM)
		if errnoRet != nil {
			errno = *errnoRet
		}
		return libseccomp.ActErrno.SetReturnCode(int16(errno)), nil
	case specs.ActKill, specs.ActKillThread:
		return libseccomp.ActKillThread, nil
	case specs.ActKillProcess:
		return libseccomp.ActKillProcess, nil
	case specs.ActTrap:
		return libseccomp.ActTrap, nil
	case specs.ActLog:
		return libseccomp.ActLog, nil
	}
	return libseccomp.ActInvalid, fmt.Errorf("action %s is not modelled", a)
}

func operator(op specs.LinuxSeccompOperator) (libseccomp.ScmpCompareOp, error) {
	switch op {
	case specs.OpNotEqual:
		return libseccomp.CompareNotEqual, nil
	case specs.OpLessThan:
		return libseccomp.CompareLess, nil
	case specs.OpLessEqual:
		return libseccomp.CompareLessOrEqual, nil
	case specs.OpEqualTo:
		return libseccomp.CompareEqual, nil
	case specs.OpGreaterEqual:
		return libseccomp.CompareGreaterEqual, nil
	case specs.OpGreaterThan:
		return libseccomp.CompareGreater, nil
	case specs.OpMaskedEqual:
		return libseccomp.CompareMaskedEqual, nil
	}
	return libseccomp.CompareInvalid, fmt.Errorf("operator %s is not modelled", op)
}
