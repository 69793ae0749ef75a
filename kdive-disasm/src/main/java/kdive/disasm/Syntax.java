package kdive.disasm;

/** Assembly syntax of rendered instructions; AT&T is what kernel people read in oopses and objdump. */
public enum Syntax { ATT, INTEL }
