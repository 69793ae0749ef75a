/** Test support: fixture lookup (skip or, under KDIVE_REQUIRE_FIXTURES=1, fail) and real-tool runners. */
module kdive.testkit {
    requires org.junit.jupiter.api;
    exports kdive.testkit;
}
