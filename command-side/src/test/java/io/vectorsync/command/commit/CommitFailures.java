package io.vectorsync.command.commit;

/** The committer's own refusals, for tests outside its package that check how they are answered. */
public final class CommitFailures {

    private CommitFailures() {
    }

    public static GroupCommitter.Overloaded overloaded(int capacity) {
        return new GroupCommitter.Overloaded(capacity);
    }

    public static GroupCommitter.StoreUnavailable storeUnavailable(Throwable cause) {
        return new GroupCommitter.StoreUnavailable(cause);
    }
}
