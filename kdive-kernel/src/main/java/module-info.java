/** The kernel model: Program (dump + vmlinux), Obj, type names; helpers for tasks, lists, per-CPU data. */
module kdive.kernel {
    requires transitive kdive.dump;
    requires transitive kdive.dwarf;
    exports kdive.kernel;
    exports kdive.kernel.helpers;
    exports kdive.kernel.expr;
    exports kdive.kernel.unwind;
}
