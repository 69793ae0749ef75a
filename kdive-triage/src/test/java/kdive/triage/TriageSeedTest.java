package kdive.triage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The incident this project exists for: every fact the engineer dug out by hand, from the text alone. */
class TriageSeedTest {

    static final Path SEED = Path.of(System.getProperty("kdive.root", ".."), "examples/centos7-skb_entail/vmcore-dmesg.txt");
    static Triage triage;
    static List<Analysis> analyses;

    @BeforeAll
    static void analyzeSeed() throws IOException {
        triage = Triage.create();
        analyses = triage.analyzeText("vmcore-dmesg.txt", Files.readString(SEED));
    }

    @AfterAll
    static void close() {
        triage.close();
    }

    @Test
    void oneReportWithTheSyzkallerTitle() {
        assertThat(analyses).hasSize(1);
        var r = analyses.getFirst().report();
        assertThat(r.title()).isEqualTo("BUG: unable to handle kernel NULL pointer dereference in skb_entail");
        assertThat(r.startLine()).isEqualTo(1);
        assertThat(analyses.getFirst().guiltyFrame()).isEqualTo("skb_entail");
    }

    @Test
    void decodesTheCodeLineFromAnInstructionBoundary() {
        var code = analyses.getFirst().code();
        assertThat(code.prefixRecovered()).isTrue();
        List<String> texts = code.entries().stream().map(e -> FaultingAccess.compact(e.text())).toList();
        assertThat(texts).contains("mov %eax,0x44(%rsi)", "mov 0x140(%rdi),%rax", "lea 0x138(%rdi),%rdx");
        assertThat(texts.getFirst()).isEqualTo("mov %eax,0x44(%rsi)");
        // Every plausible decoding passes through mov 0xdc(%rsi),%eax; the two stores before it are the likely guess.
        assertThat(analyses.getFirst().certainFrom()).isEqualTo(-35);
        var faulting = code.entries().stream().filter(e -> e.faulting()).toList();
        assertThat(faulting).hasSize(1);
        assertThat(faulting.getFirst().offsetFromFault()).isZero();
        assertThat(faulting.getFirst().address()).isEqualTo(0xffffffff81573762L);
        assertThat(FaultingAccess.compact(faulting.getFirst().text())).isEqualTo("mov %rsi,(%rax)");
    }

    @Test
    void namesTheNullRegisterOfTheWrite() {
        FaultingAccess fa = analyses.getFirst().faultingAccess().orElseThrow();
        assertThat(fa.access()).isEqualTo("write");
        assertThat(fa.memOperand()).isEqualTo("(%rax)");
        assertThat(fa.guiltyRegister()).isEqualTo("rax");
        assertThat(fa.effectiveAddress()).hasValue(0);
        assertThat(fa.matchesFault()).contains(true);
        assertThat(fa.verdict()).isEqualTo("write to 0x0 through %rax = NULL at mov %rsi,(%rax)");
        assertThat(analyses.getFirst().observations())
                .contains("%rdx == %rsi == %r14 hold the same kernel address 0xffff8801089c9038",
                        "%rdi == %r13 hold the same kernel address 0xffff8801089c8f00");
    }

    @Test
    void jsonCarriesTheIssueFields() throws IOException {
        JsonNode root = new ObjectMapper().readTree(JsonReports.toJson(analyses));
        JsonNode r = root.path("reports").get(0);
        assertThat(r.path("source").asText()).isEqualTo("vmcore-dmesg.txt");
        assertThat(r.path("type").asText()).isEqualTo("NULL-POINTER-DEREFERENCE");
        assertThat(r.path("class").asText()).isEqualTo("NULL-DEREF");
        assertThat(r.path("corrupted").asBoolean()).isFalse();
        assertThat(r.path("kernel").path("release").asText()).isEqualTo("3.10.0-327.36.1.el7.x86_64");
        assertThat(r.path("task").path("comm").asText()).isEqualTo("nginx");
        assertThat(r.path("task").path("pid").isInt()).isTrue();
        assertThat(r.path("task").path("pid").asInt()).isEqualTo(2790);
        assertThat(r.path("cpu").asInt()).isZero();
        assertThat(r.path("fault").path("address").asText()).isEqualTo("0x0");
        assertThat(r.path("fault").path("access").asText()).isEqualTo("write");
        assertThat(r.path("fault").path("mode").asText()).isEqualTo("kernel");
        assertThat(r.path("fault").path("cause").asText()).isEqualTo("not-present page");
        assertThat(r.path("ip").path("symbol").asText()).isEqualTo("skb_entail");
        assertThat(r.path("ip").path("offset").asLong()).isEqualTo(0x52);
        assertThat(r.path("ip").path("size").asLong()).isEqualTo(0xd0);
        assertThat(r.path("registers").path("rax").asText()).isEqualTo("0x0");
        assertThat(r.path("registers").path("rdi").asText()).isEqualTo("0xffff8801089c8f00");
        assertThat(r.path("instruction").path("nullRegister").asText()).isEqualTo("rax");
        assertThat(r.path("instruction").path("effectiveAddress").asText()).isEqualTo("0x0");
        assertThat(r.path("instruction").path("memOperand").asText()).isEqualTo("(%rax)");
        assertThat(r.path("instruction").path("bytes").asText()).isEqualTo("48 89 30");
        var faulting = StreamSupport.stream(r.path("disassembly").spliterator(), false)
                .filter(n -> n.path("faulting").asBoolean()).toList();
        assertThat(faulting).hasSize(1);
        assertThat(faulting.getFirst().path("offset").asInt()).isZero();
        assertThat(r.path("callTrace")).hasSize(10);
        assertThat(r.path("callTrace").get(5).path("reliable").asBoolean()).isFalse();
        assertThat(r.path("guiltyFrame").asText()).isEqualTo("skb_entail");
    }
}
