package main

import "os/exec"

type execCmd = exec.Cmd

func newExecCmd(name string, args, env []string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Env = env
	return c
}
