/** Kernel oops text: finding reports in logs, syzkaller-compatible titles, structured fields, guilty file. */
module kdive.oops {
    requires transitive kdive.io;
    exports kdive.oops;
}
