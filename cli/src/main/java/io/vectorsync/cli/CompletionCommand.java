package io.vectorsync.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vectorsync completion}: a bash (and zsh) completion script for every command and option. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        description = {"Prints a bash completion script for vectorsync's commands and options.",
                "Load it with: source <(bin/vectorsync completion)   (zsh: autoload -U +X bashcompinit && bashcompinit "
                        + "first)"})
final class CompletionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("vectorsync", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
