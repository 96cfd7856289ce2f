package io.vectorsync.query;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.vectorsync.domain.InvalidInputException;

/**
 * A minimal stand-in for the app's error mapping, so HTTP tests of this module see the statuses a
 * caller will see. The real mapping (RFC 9457 problem details) lives in the app module.
 */
public final class ProblemHandlers {

    private static final MediaType PROBLEM_JSON = MediaTypes.create("application", "problem+json");

    private ProblemHandlers() {
    }

    public static HttpRouting.Builder register(HttpRouting.Builder routing) {
        return routing
                .error(InvalidInputException.class, (req, res, e) -> problem(res, Status.BAD_REQUEST_400, e.field(), e.getMessage()))
                .error(NotFoundException.class, (req, res, e) -> problem(res, Status.NOT_FOUND_404, null, e.getMessage()));
    }

    private static void problem(ServerResponse res, Status status, String field, String detail) {
        var body = JsonValues.JSON.createObjectBuilder()
                .add("status", status.code())
                .add("detail", detail)
                .add("field", JsonValues.of(field))
                .build();
        res.status(status);
        res.headers().contentType(PROBLEM_JSON);
        res.send(body.toString());
    }
}
