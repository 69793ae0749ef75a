/** The kdive command line. */
module kdive.cli {
    requires kdive.triage;
    requires kdive.server;
    requires kdive.dump;
    requires kdive.debuginfo;
    requires kdive.kernel;
    requires kdive.symbolize;
    requires info.picocli;
    opens kdive.cli to info.picocli;
}
