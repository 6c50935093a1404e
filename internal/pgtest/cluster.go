package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// superuser is the role initdb creates, whatever the OS user is.
	superuser = "postgres"
	// templateDB is cloned for every test, so a schema added to it once
	// would be in every test database.
	templateDB = "tpl"
	// readyTimeout bounds the wait for a started server to accept connections.
	readyTimeout = 30 * time.Second
	// stopTimeout bounds the wait for an immediate shutdown before SIGKILL.
	stopTimeout = 10 * time.Second
	// portAttempts is how often a start is retried when another process took
	// the free port between picking it and the server binding it.
	portAttempts = 5
)

// cluster is one running PostgreSQL server in its own temp dir.
type cluster struct {
	dir  string // holds data/, the unix socket and server.log; removed by stop
	port int
	srv  *process
}

// startCluster runs initdb into a new temp dir under tmpRoot and starts a
// server on a free local port, with a template database ready to clone.
func startCluster(ctx context.Context, tmpRoot string) (c *cluster, err error) {
	// Leftovers of interrupted runs are someone else's failure: cleaning
	// them is best effort and must not fail this run.
	_, _ = sweepStale(tmpRoot, processAlive)

	bin, err := systemLocator().binDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential(os.Geteuid(), user.Lookup)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(tmpRoot, dirPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("creating the cluster dir: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(dir)
		}
	}()
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, fmt.Errorf("writing the owner file: %w", err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, fmt.Errorf("handing %s to uid %d: %w", dir, cred.Uid, err)
		}
	}
	if err := initdb(ctx, bin, dir, cred); err != nil {
		return nil, err
	}

	c = &cluster{dir: dir}
	for attempt := 1; ; attempt++ {
		err = c.launch(ctx, bin, cred)
		if err == nil {
			break
		}
		if !errors.Is(err, errPortTaken) || attempt == portAttempts {
			return nil, err
		}
	}
	if err := c.admin(ctx, "CREATE DATABASE "+pgx.Identifier{templateDB}.Sanitize()); err != nil {
		c.stopServer()
		return nil, fmt.Errorf("creating the template database: %w", err)
	}
	return c, nil
}

func initdb(ctx context.Context, bin, dir string, cred *syscall.Credential) error {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", filepath.Join(dir, "data"),
		"-U", superuser, "-A", "trust",
		"-E", "UTF8", "--locale=C",
		"--no-sync", "--no-instructions")
	cmd.Dir = dir // the test's working dir may be unreadable to cred's user
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

var errPortTaken = errors.New("port taken")

// launch starts postgres on a free port and waits until it accepts
// connections. It returns an error wrapping errPortTaken when another process
// bound the port first.
func (c *cluster) launch(ctx context.Context, bin string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(c.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("creating the server log: %w", err)
	}
	defer logFile.Close() // the child holds its own descriptor

	// Sockets live in the temp dir so runs never touch /var/run/postgresql;
	// a path past the kernel's 107-byte limit would fail the start, and tests
	// connect over TCP anyway.
	sockets := c.dir
	if len(sockets)+len("/.s.PGSQL.65535") > 107 {
		sockets = ""
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"),
		"-D", filepath.Join(c.dir, "data"),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "port="+strconv.Itoa(port),
		"-c", "unix_socket_directories="+sockets,
		// The data is thrown away, so durability buys nothing.
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=200",
		"-c", "shared_buffers=128MB",
	)
	cmd.Dir = c.dir
	cmd.Env = serverEnv()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: cred,
		// An interrupted or killed test process must not leave a server
		// running forever: SIGQUIT is PostgreSQL's immediate shutdown.
		Pdeathsig: syscall.SIGQUIT,
	}
	srv, err := startProcess(cmd)
	if err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	c.port, c.srv = port, srv
	if err := c.waitReady(ctx); err != nil {
		c.stopServer()
		log, _ := os.ReadFile(logPath)
		if bytes.Contains(log, []byte("Address already in use")) {
			return fmt.Errorf("postgres on port %d: %w", port, errPortTaken)
		}
		return fmt.Errorf("postgres on port %d: %w\nserver log:\n%s", port, err, tail(log, 2000))
	}
	return nil
}

func (c *cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var last error
	for {
		select {
		case <-c.srv.done:
			return fmt.Errorf("server exited during start: %w", c.srv.err)
		case <-ctx.Done():
			return fmt.Errorf("server not ready after %s: %w (last error: %v)", readyTimeout, ctx.Err(), last)
		default:
		}
		attempt, cancelAttempt := context.WithTimeout(ctx, time.Second)
		conn, err := pgx.Connect(attempt, c.dsn("postgres"))
		cancelAttempt()
		if err == nil {
			return conn.Close(ctx)
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
}

// dsn is the connection string of one database of the cluster.
func (c *cluster) dsn(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, c.port, db)
}

// admin runs one statement in the maintenance database. CREATE and DROP
// DATABASE cannot run inside a transaction, so each gets its own connection.
func (c *cluster) admin(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, c.dsn("postgres"))
	if err != nil {
		return fmt.Errorf("connecting to the maintenance database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// createDB clones the template into a new database and returns its DSN.
func (c *cluster) createDB(ctx context.Context, name string) (string, error) {
	err := c.admin(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{templateDB}.Sanitize())
	if err != nil {
		return "", err
	}
	return c.dsn(name), nil
}

// dropDB drops a database even when a test left connections open to it.
func (c *cluster) dropDB(ctx context.Context, name string) error {
	return c.admin(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

// stop shuts the server down and removes its files.
func (c *cluster) stop() error {
	c.stopServer()
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("removing %s: %w", c.dir, err)
	}
	return nil
}

// stopServer does what `pg_ctl stop -m immediate` does, SIGQUIT to the
// postmaster, without pg_ctl's own refusal to run as root; a server that
// does not exit in time is killed.
func (c *cluster) stopServer() {
	if c.srv == nil {
		return
	}
	_ = c.srv.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.srv.done:
	case <-time.After(stopTimeout):
		_ = c.srv.cmd.Process.Kill()
		<-c.srv.done
	}
	c.srv = nil
}

// process is a child started by startProcess; done closes once it exited,
// and err then holds what Wait returned.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// startProcess starts cmd from a goroutine locked to its OS thread until the
// child exits. The kernel sends Pdeathsig when the thread that forked the
// child exits, not the process, and the Go runtime may end idle threads.
func startProcess(cmd *exec.Cmd) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// freePort asks the kernel for a free local port. Another process may take
// it before the server binds it; launch retries then.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("picking a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("picking a free port: %w", err)
	}
	return port, nil
}

// serverEnv is the test process's environment without the PG* variables a
// developer may have set for their own server, and with a fixed locale.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") || strings.HasPrefix(kv, "LC_") || strings.HasPrefix(kv, "LANG=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C")
}

// tail returns at most the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
