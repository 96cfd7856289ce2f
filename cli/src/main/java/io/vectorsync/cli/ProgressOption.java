package io.vectorsync.cli;

import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --progress MODE} of the long commands: how their progress shows on standard error. */
public final class ProgressOption {

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else a line every 5 s), bar, lines or none.")
    Progress.Mode mode;

    public Progress create(PrintWriter err) {
        return Progress.create(mode, err);
    }
}
