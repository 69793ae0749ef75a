package kdive.kernel.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The commands' JSON: a report record written by Jackson, keys its component names (camelCase,
 * one style for every command); a report holds what is unknown as null. One mapper per use is cheap enough for
 * a command's one document and keeps no global state.
 */
public final class Json {
    private Json() {}

    public static String of(Object report) {
        ObjectMapper m = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        try {
            return m.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report record that Jackson cannot write: " + e.getMessage(), e);
        }
    }
}
