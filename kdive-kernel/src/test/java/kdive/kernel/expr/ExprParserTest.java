package kdive.kernel.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import kdive.io.UsageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What crash and gdb users type at {@code p}: each line parsed, then written back with only
 * the parentheses C's precedence needs (so a wrong precedence or associativity shows up as a
 * different text), and the syntax errors with their columns.
 */
class ExprParserTest {
    static final Predicate<String> KERNEL_TYPEDEFS = Set.of("u64", "u32", "pid_t", "atomic_t", "size_t")::contains;

    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("jiffies", "jiffies"),
                Arguments.of("init_task.comm", "init_task.comm"),
                Arguments.of("((struct sock *)0xffff8801089c8f00)->sk_write_queue",
                        "((struct sock *)0xffff8801089c8f00)->sk_write_queue"),
                Arguments.of("*(struct sk_buff *) 0xffff8801089c9038", "*(struct sk_buff *)0xffff8801089c9038"),
                Arguments.of("init_task.tasks.next->prev", "init_task.tasks.next->prev"),
                Arguments.of("&init_task.children", "&init_task.children"),
                Arguments.of("runqueues.nr_running + 1", "runqueues.nr_running + 1"),
                Arguments.of("a + b * c", "a + b * c"),
                Arguments.of("(a + b) * c", "(a + b) * c"),
                Arguments.of("a - b - c", "a - b - c"),
                Arguments.of("a - (b - c)", "a - (b - c)"),
                Arguments.of("a << 2 | b & 0xff", "a << 2 | b & 255"),
                Arguments.of("x == 0 && y != 1 || !z", "x == 0 && y != 1 || !z"),
                Arguments.of("a ? b : c ? d : e", "a ? b : c ? d : e"),
                Arguments.of("(a ? b : c) ? d : e", "(a ? b : c) ? d : e"),
                Arguments.of("cpu_online_mask->bits[0] >> 1", "cpu_online_mask->bits[0] >> 1"),
                Arguments.of("nr_cpu_ids - 1U", "nr_cpu_ids - 1U"),
                Arguments.of("0x10UL", "16UL"),
                Arguments.of("0777", "511"),
                Arguments.of("'\\n' + 'a'", "'\\n' + 'a'"),
                Arguments.of("(u64)jiffies", "(u64)jiffies"),
                Arguments.of("(u64) * p", "(u64)*p"),
                Arguments.of("(x) * p", "x * p"),
                Arguments.of("(const unsigned long long int *)p", "(unsigned long long *)p"),
                Arguments.of("(long unsigned int)x", "(unsigned long)x"),
                Arguments.of("(char [16])x", "(char [16])x"),
                Arguments.of("(struct list_head **)&x", "(struct list_head **)&x"),
                Arguments.of("sizeof(struct task_struct)", "sizeof(struct task_struct)"),
                Arguments.of("sizeof init_task", "sizeof init_task"),
                Arguments.of("sizeof(init_task.comm)", "sizeof init_task.comm"),
                Arguments.of("sizeof(u64) * 8", "sizeof(u64) * 8"),
                Arguments.of("offsetof(struct sock, sk_write_queue.prev)", "offsetof(struct sock, sk_write_queue.prev)"),
                Arguments.of("offsetof(struct rq, cpu_capacity_orig)", "offsetof(struct rq, cpu_capacity_orig)"),
                Arguments.of("container_of(init_task.tasks.next, struct task_struct, tasks)->pid",
                        "container_of(init_task.tasks.next, struct task_struct, tasks)->pid"),
                Arguments.of("per_cpu(runqueues, 1).nr_running", "per_cpu(runqueues, 1).nr_running"),
                Arguments.of("-(int)x", "-(int)x"),
                Arguments.of("- -x", "- -x"),
                Arguments.of("&&x", "& &x"),
                Arguments.of("~0UL >> 12", "~0UL >> 12"),
                Arguments.of("*&*p", "*&*p"),
                Arguments.of("(*p).next", "(*p).next"),
                Arguments.of("p[1][2].x", "p[1][2].x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void parsesAndWritesBack(String text, String written) {
        Expr e = ExprParser.parse(text, KERNEL_TYPEDEFS);
        assertThat(CSyntax.print(e)).isEqualTo(written);
        assertThat(CSyntax.print(ExprParser.parse(written, KERNEL_TYPEDEFS))).isEqualTo(written);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("", "column 1: expected an expression, found end of input"),
                Arguments.of("init_task.", "column 11: expected a member name after '.', found end of input"),
                Arguments.of("sk->", "column 5: expected a member name after '->', found end of input"),
                Arguments.of("(a + b", "column 7: expected ')', found end of input"),
                Arguments.of("a + b)", "column 6: expected end of expression, found ')'"),
                Arguments.of("a[1", "column 4: expected ']', found end of input"),
                Arguments.of("p @ q", "column 3: unexpected character '@'"),
                Arguments.of("0x", "column 1: hexadecimal constant without digits"),
                Arguments.of("12abc", "column 1: invalid number '12abc'"),
                Arguments.of("0x1ffffffffffffffff", "column 1: integer constant '0x1ffffffffffffffff' does not fit in 64 bits"),
                Arguments.of("1ULLL", "column 1: invalid integer suffix in '1ULLL'"),
                Arguments.of("'a", "column 1: unterminated character constant"),
                Arguments.of("(struct)p", "column 8: expected a struct tag, found ')'"),
                Arguments.of("(unsigned double)x", "column 2: 'unsigned double' is not a C type"),
                Arguments.of("(short long)x", "column 2: 'short long' is not a C type"),
                Arguments.of("u64 + 1", "column 1: 'u64' is a type, not a value (a cast is written '(u64 ...)expr')"),
                Arguments.of("strlen(p)", "column 1: cannot call strlen(): only sizeof, offsetof, container_of and per_cpu take arguments"),
                Arguments.of("offsetof(sk, x)", "column 10: expected a type name, found 'sk'"),
                Arguments.of("container_of(p, struct a, )", "column 27: expected a member name, found ')'"),
                Arguments.of("(int [n])x", "column 7: expected an array length, found 'n'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void syntaxErrorsNameTheColumn(String text, String message) {
        assertThatThrownBy(() -> ExprParser.parse(text, KERNEL_TYPEDEFS)).isInstanceOf(UsageException.class).hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void boundsNestingAndLength() {
        assertThatThrownBy(() -> ExprParser.parse("(".repeat(1000) + "x" + ")".repeat(1000), KERNEL_TYPEDEFS))
                .isInstanceOf(UsageException.class).hasMessageContaining("nested more than 200 deep");
        assertThatThrownBy(() -> ExprParser.parse("-".repeat(1000) + "x", KERNEL_TYPEDEFS))
                .isInstanceOf(UsageException.class).hasMessageContaining("nested more than 200 deep");
        assertThatThrownBy(() -> ExprParser.parse("x+".repeat(3000) + "x", KERNEL_TYPEDEFS))
                .isInstanceOf(UsageException.class).hasMessageContaining("at most 4096");
    }

    @org.junit.jupiter.api.Test
    void typeNamesAlone() {
        assertThat(ExprParser.parseType("struct task_struct", KERNEL_TYPEDEFS)).isEqualTo(new TypeName("struct task_struct"));
        assertThat(ExprParser.parseType("unsigned char *[4]", KERNEL_TYPEDEFS))
                .isEqualTo(new TypeName("unsigned char", 1, java.util.List.of(4L)));
        assertThat(ExprParser.looksLikeType("u64", KERNEL_TYPEDEFS)).isTrue();
        assertThat(ExprParser.looksLikeType("jiffies", KERNEL_TYPEDEFS)).isFalse();
        assertThatThrownBy(() -> ExprParser.parseType("jiffies", KERNEL_TYPEDEFS)).hasMessage("column 1: expected a type name, found 'jiffies'");
    }
}
