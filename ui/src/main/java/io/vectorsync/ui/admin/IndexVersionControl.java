package io.vectorsync.ui.admin;

import io.vectorsync.projections.index.VectorIndex;
import jakarta.json.JsonObject;

/**
 * The versions of each space's index, as the admin API drives them: what the process that runs the processors
 * provides (the app's blue/green orchestration). Failures are the API's exceptions (404, 409, 400).
 */
public interface IndexVersionControl {

    /** Every space with its live version and every other version, their settings and progress. */
    JsonObject describe();

    /** Starts a new version of {@code space} from the request's JSON settings; answers its description. */
    JsonObject rebuild(String space, String request);

    /** Makes {@code version} live; the one that was live keeps following the log for a rollback. */
    JsonObject swap(String space, int version);

    /** Drops a version that is not live (a build in progress is cancelled). */
    void drop(String space, int version);

    /** One document as every version of the space's index holds it now. */
    JsonObject document(String space, String tenant, String documentId);

    /** The number of the space's live version. */
    int liveVersionOf(String space);

    /** The index of a version: the live one, or one being fed. */
    VectorIndex index(String space, int version);

    /** The embedding model whose vectors a version takes (null: any), for a drift check of it. */
    String modelFilter(String space, int version);

    /** How far the processor feeding a version has got in the log. */
    long processedPosition(String space, int version);
}
