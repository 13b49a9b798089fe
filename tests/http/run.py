#!/usr/bin/env python3
"""Runs the end-to-end test modules (tests/http/test_*.py) against a sen binary.

Usage: run.py PATH/TO/sen [-k SUBSTRING]
A case that raises harness.Skip is skipped (a setup_module that raises it skips
every case of its module). Closing line: "e2e: N passed, N failed, N skipped".
"""
import importlib.util
import inspect
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from harness import Skip  # noqa: E402  (after the path is set)


def main():
    sen = os.path.abspath(sys.argv[1])
    only = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "-k" else None
    passed = failed = skipped = 0
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        # -k matches "module.function", so a module or one case can be picked;
        # a module with no matching case is not even set up.
        names = [n for n in sorted(dir(mod)) if n.startswith("test_")
                 and callable(getattr(mod, n))
                 and (not only or only in f"{name[:-3]}.{n}")]
        if not names:
            continue
        ctx = None
        try:
            if hasattr(mod, "setup_module"):
                ctx = mod.setup_module(sen)
        except Skip as e:
            for fname in names:
                print(f"skip {name[:-3]}.{fname}: {e}")
            skipped += len(names)
            continue
        except Exception:
            print(f"FAIL {name}: setup")
            traceback.print_exc(file=sys.stdout)
            failed += 1
            continue
        try:
            for fname in names:
                fn = getattr(mod, fname)
                t0 = time.time()
                try:
                    # A case takes the module's context (or the binary), or
                    # nothing when it only reads the source tree.
                    if not inspect.signature(fn).parameters:
                        fn()
                    else:
                        fn(ctx) if ctx is not None else fn(sen)
                    passed += 1
                    print(f"ok   {name[:-3]}.{fname} ({time.time() - t0:.2f}s)")
                except Skip as e:
                    skipped += 1
                    print(f"skip {name[:-3]}.{fname}: {e}")
                except Exception:
                    failed += 1
                    print(f"FAIL {name[:-3]}.{fname}")
                    traceback.print_exc(file=sys.stdout)
        finally:
            if hasattr(mod, "teardown_module"):
                try:
                    mod.teardown_module(ctx)
                except Exception:
                    traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
    print(f"e2e: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
