package io.vectorsync.cli.store;

import picocli.CommandLine.Command;

/** {@code vectorsync store …}: the store's database as a whole. */
@Command(name = "store",
        mixinStandardHelpOptions = true,
        description = "The store: events, tokens, dead letters, the index-version registry, API keys and the audit log.",
        subcommands = {MigrateCommand.class, EncryptCommand.class})
public final class StoreCommand {
}
