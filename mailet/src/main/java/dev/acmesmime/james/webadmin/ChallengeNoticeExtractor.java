package dev.acmesmime.james.webadmin;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import dev.acmesmime.rfc8823.Untrusted;
import spark.HaltException;

/**
 * Reads a {@link ChallengeNoticeRequest} strictly: a JSON object of string fields and nothing else, since a
 * misspelt {@code createdAt} must not pass as absent (which would mean "sent now" and stretch the 24-hour
 * validity, S/MIME BR 3.2.2.4), nor a number pass as its digits. Every refusal is a 400 naming the field.
 */
final class ChallengeNoticeExtractor {

    /** The fields, sorted, as the error messages list them. */
    static final SortedSet<String> FIELDS = Collections.unmodifiableSortedSet(new TreeSet<>(
            Arrays.stream(ChallengeNoticeRequest.class.getRecordComponents()).map(RecordComponent::getName).toList()));

    private final JsonExtractor<ChallengeNoticeRequest> extractor =
            new JsonExtractor<>(ChallengeNoticeRequest.class, new SimpleModule().addDeserializer(String.class, new StrictString()));

    /** The body as a request, or a 400 halt naming what is wrong. */
    ChallengeNoticeRequest extract(String body) {
        ChallengeNoticeRequest request;
        try {
            request = body == null ? null : extractor.parse(body);
        } catch (JsonExtractException e) {
            throw refusal(e.getCause());
        }
        if (request == null) {
            throw RouteErrors.badRequest("%s", notAnObject());
        }
        return request;
    }

    private static HaltException refusal(Throwable cause) {
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return RouteErrors.badRequest("%s is not a field of a challenge notice %s",
                    Untrusted.quote(unknown.getPropertyName()), FIELDS);
        }
        if (cause instanceof MismatchedInputException mismatch && mismatch.getPath().size() == 1
                && mismatch.getPath().get(0).getFieldName() != null) {
            return RouteErrors.badRequest("'%s' must be a string", mismatch.getPath().get(0).getFieldName());
        }
        return RouteErrors.badRequest("%s", notAnObject());
    }

    private static String notAnObject() {
        return "the body must be a JSON object with the fields " + FIELDS;
    }

    /** A JSON string only: Jackson would otherwise turn {@code 12} or {@code true} into text. */
    private static final class StrictString extends StdScalarDeserializer<String> {
        private StrictString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                return p.getText();
            }
            throw MismatchedInputException.from(p, String.class, "not a JSON string");
        }
    }
}
