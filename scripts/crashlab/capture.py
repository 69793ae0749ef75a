#!/usr/bin/python3
"""Waits for the guest's panic on its serial log, then stops the VM and writes QEMU's dumps via QMP.

usage: capture.py QMP_SOCKET CONSOLE_LOG OUT_DIR TIMEOUT_SECONDS

Writes OUT_DIR/qemu.elf (dump-guest-memory, ELF) and OUT_DIR/qemu-kdump-zlib.flat (format
kdump-zlib, which QEMU 7.2 writes in makedumpfile's flattened format), then quits QEMU.
"""
import json, os, socket, sys, time

sock_path, console, out, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])

def wait_for_panic():
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(console, "rb") as f:
                if b"Kernel panic - not syncing" in f.read():
                    return
        except FileNotFoundError:
            pass
        time.sleep(1)
    sys.exit(f"capture: no kernel panic on {console} within {timeout:.0f}s")

class Qmp:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.f = self.s.makefile("rwb")
        self.reply()  # greeting
        self.cmd("qmp_capabilities")

    def reply(self):
        while True:
            msg = json.loads(self.f.readline())
            if "event" not in msg:
                return msg

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        self.f.flush()
        msg = self.reply()
        if "error" in msg:
            sys.exit(f"capture: {name}: {msg['error']}")
        return msg

wait_for_panic()
time.sleep(3)  # let the panic path finish stopping the other CPUs and printing
qmp = Qmp(sock_path)
qmp.cmd("stop")  # both dumps then hold the same memory
qmp.cmd("dump-guest-memory", paging=False, protocol="file:" + os.path.join(out, "qemu.elf"))
qmp.cmd("dump-guest-memory", paging=False, protocol="file:" + os.path.join(out, "qemu-kdump-zlib.flat"),
        format="kdump-zlib")
try:
    qmp.cmd("quit")
except (OSError, ValueError, json.JSONDecodeError):
    pass
