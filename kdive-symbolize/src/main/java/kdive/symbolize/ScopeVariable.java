package kdive.symbolize;

import kdive.dwarf.LocationExpression;

/**
 * A parameter or local variable in scope at a PC, with where its value is there.
 *
 * @param name its source name
 * @param type DIE offset of its type (-1 when unknown)
 * @param parameter true for a function parameter
 * @param function the function (inlined or not) whose scope holds it
 * @param depth 0 for the innermost inline level at the PC, 1 for its caller, ...
 * @param location where the value is at the PC
 */
public record ScopeVariable(String name, long type, boolean parameter, String function, int depth,
        LocationExpression location) {}
