/**
 * The kernel model: Program (dump + vmlinux), AddressSpace, Arch, KType and Obj; helpers for tasks,
 * lists, per-CPU data, the log; commands: crash-style reports rendered as text and JSON.
 */
module kdive.kernel {
    requires transitive kdive.dump;
    requires transitive kdive.dwarf;
    exports kdive.kernel;
    exports kdive.kernel.arch;
    exports kdive.kernel.helpers;
    exports kdive.kernel.expr;
    exports kdive.kernel.types;
    exports kdive.kernel.commands;
    requires com.fasterxml.jackson.databind;
    opens kdive.kernel.commands to com.fasterxml.jackson.databind;
    exports kdive.kernel.unwind;
}
