/* Frame shapes for call frame information tests: alloca and VLAs (frame pointer CFA), an
 * over-aligned local (stack realignment: DW_CFA_def_cfa_expression / DW_CFA_expression), many
 * callee-saved registers, several epilogues (remember/restore_state), cold paths (.text.unlikely
 * FDEs), cleanups (personality and LSDA with -fexceptions), and on x86-64 a hand-written signal
 * trampoline ('S' augmentation) whose CFI uses the instructions compilers rarely emit.
 * No #include: it must compile with -m32 without 32-bit libc headers. */

typedef unsigned long size_t;
void *memset(void *, int, size_t);

__attribute__((noinline)) void sink(volatile void *p, long n) {
    __asm__ volatile("" : : "r"(p), "r"(n) : "memory");
}

__attribute__((noinline)) long with_alloca(long n) {
    char *buf = __builtin_alloca(n + 16);
    memset(buf, 1, n + 16);
    sink(buf, n);
    return buf[n];
}

__attribute__((noinline)) long with_vla(int n) {
    long a[n + 1];
    for (int i = 0; i <= n; i++) {
        a[i] = i * 3;
    }
    sink(a, n);
    return a[n / 2];
}

__attribute__((noinline)) long realigned(long x) {
    long v[8] __attribute__((aligned(64)));
    for (int i = 0; i < 8; i++) {
        v[i] = x + i;
    }
    sink(v, 8);
    return v[3];
}

__attribute__((noinline)) long pressure(long a, long b, long c, long d) {
    long e = a * b, f = b * c, g = c * d, h = d * a, i = a + b + c, j = b + c + d;
    sink(&e, 1);
    long k = e + f * g - h, l = i * j + e, m = f - g + h * i;
    sink(&k, 2);
    return a + b + c + d + e + f + g + h + i + j + k + l + m;
}

__attribute__((noinline)) long epilogues(long x) {
    if (x < 0) {
        return -1;
    }
    long s = 0;
    for (long i = 0; i < x; i++) {
        if (i == 1000) {
            sink(&s, i);
            return s;
        }
        s += i * x;
    }
    sink(&s, x);
    return s;
}

__attribute__((noinline, noreturn)) void die(long code) {
    sink(0, code);
    __builtin_trap();
}

__attribute__((noinline)) long cold_path(long x) {
    if (__builtin_expect(x == 12345, 0)) {
        sink(&x, x);
        die(x);
    }
    return x * 7;
}

static void release(long *p) {
    sink(p, *p);
}

/* Called through a pointer, so with -fexceptions it may throw and the cleanup needs an LSDA. */
void (*volatile hook)(long *);

__attribute__((noinline)) long with_cleanup(long x) {
    long guard __attribute__((cleanup(release))) = x;
    if (hook) {
        hook(&guard);
    }
    return guard + 1;
}

#ifdef __x86_64__
/* A signal-return trampoline in the style of glibc's __restore_rt: registers come back from
 * a ucontext on the stack (DW_CFA_expression), the CFA is computed (DW_CFA_def_cfa_expression),
 * plus one of each remaining opcode through .cfi_escape. */
__asm__(
    "  .text\n"
    "  .globl trampoline\n"
    "  .type trampoline, @function\n"
    "trampoline:\n"
    "  .cfi_startproc\n"
    "  .cfi_signal_frame\n"
    "  nop\n"
    "  .cfi_escape 0x0f, 0x03, 0x77, 0xa0, 0x01\n"   /* def_cfa_expression: breg7 (rsp) +160 */
    "  .cfi_escape 0x10, 0x06, 0x02, 0x77, 0x78\n"   /* expression rbp: breg7 -8 */
    "  .cfi_escape 0x16, 0x03, 0x02, 0x77, 0x10\n"   /* val_expression rbx: breg7 +16 */
    "  nop\n"
    "  .cfi_escape 0x14, 0x0c, 0x02\n"               /* val_offset r12, 2 * -8 */
    "  .cfi_escape 0x15, 0x0d, 0x7e\n"               /* val_offset_sf r13, -2 * -8 */
    "  .cfi_escape 0x2e, 0x10\n"                     /* GNU_args_size 16 */
    "  .cfi_escape 0x2f, 0x0e, 0x03\n"               /* GNU_negative_offset_extended r14, 3 */
    "  .cfi_escape 0x11, 0x0f, 0x7d\n"               /* offset_extended_sf r15, -3 */
    "  .cfi_escape 0x05, 0x03, 0x04\n"               /* offset_extended rbx, 4 */
    "  nop\n"
    "  .cfi_escape 0x12, 0x07, 0x7e\n"               /* def_cfa_sf rsp, -2 * -8 */
    "  .cfi_remember_state\n"
    "  .cfi_register rbp, rax\n"
    "  .cfi_same_value r12\n"
    "  .cfi_undefined rip\n"
    "  .cfi_escape 0x13, 0x7d\n"                     /* def_cfa_offset_sf -3 * -8 */
    "  nop\n"
    "  .cfi_restore_state\n"
    "  .cfi_escape 0x06, 0x03\n"                     /* restore_extended rbx */
    "  .cfi_escape 0x03, 0x02, 0x00\n"               /* advance_loc2 2 */
    "  .cfi_escape 0x04, 0x01, 0x00, 0x00, 0x00\n"   /* advance_loc4 1 */
    "  .cfi_escape 0x02, 0x00\n"                     /* advance_loc1 0: an empty row */
    "  .cfi_restore rbp\n"
    "  nop\n"
    "  nop\n"
    "  nop\n"
    "  nop\n"
    "  ret\n"
    "  .cfi_endproc\n"
    "  .size trampoline, .-trampoline\n");
long trampoline(void);
#endif

int main(int argc, char **argv) {
    (void) argv;
    long r = with_alloca(argc) + with_vla(argc) + realigned(argc) + pressure(argc, 2, 3, 4) + epilogues(argc)
            + cold_path(argc) + with_cleanup(argc);
#ifdef __x86_64__
    if (argc > 100) {
        r += trampoline();
    }
#endif
    return (int) r;
}
