# Runs argv[1:] as the session leader of a fresh pseudo-terminal and relays its
# output to stdout. Commands on stdin, one per line: INT writes ^C to the
# terminal (the line discipline sends SIGINT to the foreground group), HUP closes
# the master (the kernel hangs the terminal up). Exits with the child's status.
import fcntl, os, pty, select, struct, sys, termios

pid, master = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

# a terminal window has a size; PTY_SIZE=0x0 keeps the new pty's 0x0 (docker run -t, script in CI)
rows, cols = (int(n) for n in os.environ.get('PTY_SIZE', '24x100').split('x'))
if rows > 0 and cols > 0:
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
stdin = sys.stdin.fileno()
watch_stdin = True
open_master = True
status = None
while status is None:
    fds = ([stdin] if watch_stdin else []) + ([master] if open_master else [])
    ready, _, _ = select.select(fds, [], [], 0.05)
    if master in ready and open_master:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b''
        if data:
            os.write(1, data)
        else:
            open_master = False
    if watch_stdin and stdin in ready:
        raw_line = sys.stdin.readline()
        if raw_line == '':
            watch_stdin = False
        line = raw_line.strip()
        if line == 'INT' and open_master:
            os.write(master, b'\x03')
        elif line == 'HUP' and open_master:
            os.close(master)
            open_master = False
    done, raw = os.waitpid(pid, os.WNOHANG)
    if done:
        status = raw
if open_master:
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                break
            data = os.read(master, 65536)
            if not data:
                break
            os.write(1, data)
    except OSError:
        pass
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)
