package dev.acmesmime.james.webadmin;

import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.eclipse.jetty.http.HttpStatus;

import spark.HaltException;

/**
 * The errors the plugin's routes answer, as James's WebAdmin answers them: a JSON document
 * {@code {statusCode, type, message, details}} built by {@link ErrorResponder}. The message is a
 * {@link String#format} pattern; values from the request go into its arguments, never into the pattern.
 */
final class RouteErrors {

    private RouteErrors() {
    }

    /** 400: a parameter or the body is wrong; the message names it. */
    static HaltException badRequest(String format, Object... values) {
        return halt(HttpStatus.BAD_REQUEST_400, ErrorType.INVALID_ARGUMENT, format, values);
    }

    /** 403: the request is refused whatever its content (a foreign web origin); nothing changed. */
    static HaltException forbidden(String format, Object... values) {
        // James 3.8.1's ErrorType has no "forbidden"; the request itself is what is refused
        return halt(HttpStatus.FORBIDDEN_403, ErrorType.INVALID_ARGUMENT, format, values);
    }

    /** 404: the thing named does not exist (or not in the state the route acts on). */
    static HaltException notFound(String format, Object... values) {
        return halt(HttpStatus.NOT_FOUND_404, ErrorType.NOT_FOUND, format, values);
    }

    /** 409: the request contradicts what is recorded; nothing changed. */
    static HaltException conflict(String format, Object... values) {
        return halt(HttpStatus.CONFLICT_409, ErrorType.WRONG_STATE, format, values);
    }

    /** 500: something the route depends on failed; nothing changed. */
    static HaltException serverError(String format, Object... values) {
        return halt(HttpStatus.INTERNAL_SERVER_ERROR_500, ErrorType.SERVER_ERROR, format, values);
    }

    private static HaltException halt(int status, ErrorType type, String format, Object... values) {
        return ErrorResponder.builder().statusCode(status).type(type).message(format, values).haltError();
    }
}
