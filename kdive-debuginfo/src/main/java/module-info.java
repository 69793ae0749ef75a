/** Finding debug files: a dump's vmlinux by release under the usual directories, any file by build-id through debuginfod. */
module kdive.debuginfo {
    requires transitive kdive.elf;
    requires java.net.http;
    exports kdive.debuginfo;
}
