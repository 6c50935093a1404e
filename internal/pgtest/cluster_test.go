package pgtest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a test process that owns a cluster
// and then gets killed.
const helperEnv = "PGTEST_HELPER_OWNER"

// TestHelperOwner is not a test: TestKilledRunStopsServer runs it in a child
// process, which starts a cluster, reports it and waits to be killed.
func TestHelperOwner(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process for TestKilledRunStopsServer")
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	c, err := startCluster(ctx, os.TempDir())
	if err != nil {
		fmt.Printf("HELPER-ERROR %v\n", strings.ReplaceAll(err.Error(), "\n", " | "))
		os.Exit(1)
	}
	fmt.Printf("HELPER-CLUSTER %s %d\n", c.dir, c.srv.cmd.Process.Pid)
	select {}
}

func TestKilledRunStopsServer(t *testing.T) {
	if _, err := systemLocator().binDir(); err != nil {
		unavailable(t, os.Getenv("CI") == "true", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperOwner$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the helper: %v", err)
	}
	var dir string
	var pid int
	scanner := bufio.NewScanner(out)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) > 0 && fields[0] == "HELPER-ERROR" {
			_ = cmd.Wait()
			t.Fatalf("helper: %s", scanner.Text())
		}
		if len(fields) == 3 && fields[0] == "HELPER-CLUSTER" {
			dir = fields[1]
			pid, err = strconv.Atoi(fields[2])
			if err != nil {
				t.Fatalf("helper line %q: %v", scanner.Text(), err)
			}
			break
		}
	}
	if dir == "" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatal("the helper reported no cluster")
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if !processAlive(pid) {
		t.Fatalf("postmaster %d is not running while its owner lives", pid)
	}

	// SIGKILL: the owner gets no chance to run any cleanup of its own.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	deadline := time.Now().Add(stopTimeout)
	for processAlive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("postmaster %d still runs %s after its owner was killed", pid, stopTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The next run's sweep removes what the killed run left.
	if _, err := sweepStale(os.TempDir(), processAlive); err != nil {
		t.Fatalf("sweepStale: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the killed run's dir %s survived the sweep (stat: %v)", dir, err)
	}
}

func TestFreePort(t *testing.T) {
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	if port <= 0 || port > 65535 {
		t.Fatalf("port %d out of range", port)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatalf("the free port %d cannot be bound: %v", port, err)
	}
	_ = l.Close()
}

// BenchmarkStartStop measures the fixed cost a package pays for its cluster:
// initdb, server start, template database, shutdown.
func BenchmarkStartStop(b *testing.B) {
	if _, err := systemLocator().binDir(); err != nil {
		unavailable(b, os.Getenv("CI") == "true", err)
	}
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		c, err := startCluster(ctx, os.TempDir())
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if err := c.stop(); err != nil {
			b.Fatal(err)
		}
	}
}
