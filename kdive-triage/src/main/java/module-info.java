/** Oops triage: decodes the Code: bytes, names the faulting operand, renders text and JSON reports. */
module kdive.triage {
    requires transitive kdive.oops;
    requires transitive kdive.disasm;
    requires kdive.symbolize;
    requires com.fasterxml.jackson.databind;
    exports kdive.triage;
    opens kdive.triage to com.fasterxml.jackson.databind;
}
