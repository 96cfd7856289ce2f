package io.vectorsync.cli.store;

import io.vectorsync.store.EventStoreDatabase;

import java.nio.file.Path;

/** Another process with the embedded store open, as a running app has it, until its standard input closes. */
final class HoldStore {

    public static void main(String[] args) throws Exception {
        try (EventStoreDatabase database = EventStoreDatabase.openH2(Path.of(args[0]))) {
            database.headPosition();
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold it
            }
        }
    }
}
