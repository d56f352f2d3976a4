"""A whole stack in a scratch STACK_HOME for one bench round: ./stack up on the way in; ./stack down and the
directory deleted on the way out, whatever happened in between."""
import contextlib, os, shutil, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STACK = os.path.join(ROOT, "stack")


@contextlib.contextmanager
def scratch_stack(prefix, env):
    """Yields (home, env with STACK_HOME, seconds ./stack up took)."""
    home = tempfile.mkdtemp(prefix=prefix)
    env = dict(env, STACK_HOME=home)
    try:
        started = time.monotonic()
        subprocess.run([STACK, "up"], cwd=home, env=env, check=True, stdout=subprocess.DEVNULL)
        yield home, env, time.monotonic() - started
    finally:
        subprocess.run([STACK, "down"], cwd=home, env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(home, ignore_errors=True)
