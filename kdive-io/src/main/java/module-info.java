/** Bounds-checked binary reading and the exception hierarchy every kdive module shares. */
module kdive.io {
    exports kdive.io;
}
