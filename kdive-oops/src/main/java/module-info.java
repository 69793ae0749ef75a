/** Kernel oops text: finding reports in logs, syzkaller-compatible titles, structured fields, guilty file. */
module kdive.oops {
    requires transitive kdive.io;
    // RE2/J (automatic module): Go regexp syntax and leftmost-first semantics, linear-time matching.
    requires re2j;
    exports kdive.oops;
}
