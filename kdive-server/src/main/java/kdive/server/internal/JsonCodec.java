package kdive.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The server's one configured {@link ObjectMapper} (thread-safe once built), with the few uses it has. */
public final class JsonCodec {
    private final ObjectMapper mapper;

    public JsonCodec() {
        mapper = new ObjectMapper();
        // A report text may be the whole 16 MiB body; Jackson's default string limit is 20 MB of chars.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(64 << 20).maxNestingDepth(200).build());
        // A body is one JSON value: "{...}garbage" is malformed, not a report with a footnote.
        mapper.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public JsonNode read(byte[] body) throws java.io.IOException {
        return mapper.readTree(body);
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("server views always serialize", e);
        }
    }

    /** Re-indents a stored JSON document for a page; returns it unchanged if it does not parse. */
    public String pretty(String json) {
        try {
            return mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    public JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }
}
