package kdive.server.internal;

/**
 * What the server derived from a report's text.
 *
 * @param title the bucket key (syzkaller title of the first oops)
 * @param type syzkaller's crash class
 * @param kernel the kernel release named in the text, or ""
 * @param parsedJson the full parse as a JSON document
 */
public record Analysis(String title, String type, String kernel, String parsedJson) {}
