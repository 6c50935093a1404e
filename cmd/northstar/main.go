// Command northstar is the customer-experience intelligence platform in one
// binary: import, analysis, metrics, the HTTP API and the dashboard.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/northstar-cx/northstar/internal/cx"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit statuses shared by every command.
const (
	exitOK       = 0
	exitFatal    = 1
	exitUsage    = 2
	exitRejected = 3 // some records were rejected, the rest stored
)

// exitError carries an exit status through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

// env is the process environment seen by commands (tests inject their own).
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	atExit         func() // set by a command that must finish something however it ends
}

// run executes the command line and returns the exit status; tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if e.atExit != nil {
		e.atExit()
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "northstar:", ee.err)
		}
		return ee.code
	}
	var ce *cx.Error
	if errors.As(err, &ce) {
		fmt.Fprintln(stderr, "northstar:", ce.Message)
		return exitFatal
	}
	fmt.Fprintln(stderr, "northstar:", err)
	if isUsage(err) {
		fmt.Fprintln(stderr, "Run 'northstar --help' for usage.")
		return exitUsage
	}
	return exitFatal
}
