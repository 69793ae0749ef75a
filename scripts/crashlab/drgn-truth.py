#!/usr/bin/python3
"""Prints what drgn says about a dump: release, tasks, log (reference output beside the fixtures).

usage: drgn-truth.py VMLINUX VMCORE
"""
import sys
import drgn
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.printk import get_dmesg
from drgn.helpers.linux.sched import task_cpu

prog = drgn.Program()
prog.set_core_dump(sys.argv[2])
prog.load_debug_info([sys.argv[1]])
print("=== release")
print(prog["init_uts_ns"].name.release.string_().decode())
print("=== ps (pid ppid cpu comm)")
for task in for_each_task(prog):
    print(task.pid.value_(), task.real_parent.pid.value_(), task_cpu(task),
          task.comm.string_().decode())
print("=== log")
sys.stdout.write(get_dmesg(prog).decode(errors="replace"))
