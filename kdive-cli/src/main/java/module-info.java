/** The kdive command line. */
module kdive.cli {
    requires kdive.triage;
    requires kdive.server;
    requires info.picocli;
    opens kdive.cli to info.picocli;
}
